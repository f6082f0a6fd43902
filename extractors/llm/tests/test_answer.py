"""Reading the model's answer."""

import unittest

from answer import AnswerError, parse

FIELDS = ["date", "percentage"]


class ParseTest(unittest.TestCase):
    def test_object_list_and_fenced_answers(self):
        m = '{"field": "percentage", "text": "7,1%", "value": {"value": 7.1}}'
        for content in ['{"mentions": [%s]}' % m, "[%s]" % m, '```json\n{"mentions": [%s]}\n```' % m,
                        "  ```\n[%s]```  " % m]:
            mentions, dropped = parse(content, FIELDS)
            self.assertEqual(mentions, [{"field": "percentage", "text": "7,1%", "value": {"value": 7.1}}], content)
            self.assertEqual(dropped, [])

    def test_unusable_answers_raise(self):
        for content in ["Sure! Here are the mentions:", '{"mentions": [', '{"items": []}', "42", None, ""]:
            with self.assertRaises(AnswerError, msg=repr(content)):
                parse(content, FIELDS)

    def test_bad_mentions_are_dropped_with_a_reason(self):
        content = """{"mentions": [
            {"field": "date", "text": "tháng 13/2024", "value": "2024-13"},
            {"field": "official", "text": "Nguyễn Văn A", "value": {"name": "Nguyễn Văn A", "titles": []}},
            {"field": "percentage", "text": "", "value": {"value": 1}},
            "7%",
            {"field": "date", "text": "năm 2024", "value": "2024"}]}"""
        mentions, dropped = parse(content, FIELDS)
        self.assertEqual(mentions, [{"field": "date", "text": "năm 2024", "value": "2024"}])
        self.assertEqual([d.split(":")[0] for d in dropped], ["mention 0", "mention 1", "mention 2", "mention 3"])
        self.assertIn("not one of date, percentage", dropped[1])


if __name__ == "__main__":
    unittest.main()
