"""Value checks as the harness makes them (harness/tests/it/llm.rs also
compares them with extractor_api on a list of values)."""

import unittest

from values import check_timex, normalize


class TimexTest(unittest.TestCase):
    def test_documented_forms_pass(self):
        for ok in ["2024", "2024-06", "2024-06-04", "2024-Q1", "XXXX-08-31", "XXXX-05", "XXXX-Q2",
                   "2021/2025", "2024-02-29", "XXXX-02-29", "2017-04-15/2017-04-18"]:
            check_timex(ok)

    def test_impossible_and_malformed_dates_fail(self):
        for bad in ["2024-13", "2024-00", "2023-02-29", "2024-06-31", "2024-Q5", "2024-Q0", "24", "2024-6",
                    "2024/", "a/b/c", "2024-06-04-01", "", "２０２４", "2024-Q1-01", "xxxx", "2024-Q12"]:
            with self.assertRaises(ValueError, msg=bad):
                check_timex(bad)


class NormalizeTest(unittest.TestCase):
    def test_values_are_normalized_where_there_is_one_answer(self):
        self.assertEqual(normalize("figure", {"amount": 1326800000000, "unit": " Đồng "}),
                         {"amount": 1326800000000, "unit": "đồng"})
        self.assertEqual(normalize("official", {"name": "Nguye\u0302\u0303n Văn A", "titles": ["Chủ tịch UBND"]}),
                         {"name": "Nguyễn Văn A", "titles": ["Chủ tịch UBND"]})
        self.assertEqual(normalize("percentage", {"value": 7.1}), {"value": 7.1})
        self.assertEqual(normalize("date", "XXXX-Q2"), "XXXX-Q2")

    def test_wrong_shapes_fail(self):
        bad = [("date", 2024), ("date", "2024-13"), ("official", {"name": "A"}),
               ("official", {"name": " ", "titles": []}), ("official", {"name": "A", "titles": [""]}),
               ("official", {"name": "A", "titles": "Chủ tịch"}), ("official", "A"),
               ("figure", {"amount": "3", "unit": "tấn"}), ("figure", {"amount": True, "unit": "tấn"}),
               ("figure", {"amount": 3, "unit": ""}), ("figure", {"amount": 3, "unit": "tấn", "x": 1}),
               ("figure", {"amount": 10 ** 400, "unit": "đồng"}), ("figure", {"amount": float("nan"), "unit": "m"}),
               ("percentage", {"value": None}), ("percentage", 7.1), ("salary", {"value": 1})]
        for field, value in bad:
            with self.assertRaises(ValueError, msg=f"{field} {value!r}"):
                normalize(field, value)


if __name__ == "__main__":
    unittest.main()
