"""The Python port of extractor_api::align on the cases its Rust unit tests
use (harness/tests/it/llm.rs compares the two on generated texts)."""

import unittest

from align import align, fold


def wire(field, text):
    return {"field": field, "text": text, "value": None}


def spans(ms):
    return [(m["start"], m["end"]) if m.get("start") is not None else None for m in ms]


class AlignTest(unittest.TestCase):
    def test_nfc_plain_space_text_in_an_nfd_crlf_nbsp_article(self):
        text = "Ông Nguye\u0302\u0303n Đức\u00a0Nhương\r\nChủ tịch: 7,1\u00a0%"
        ms = [wire("official", "Nguyễn Đức Nhương"), wire("percentage", " 7,1 % ")]
        self.assertEqual(align(text, ms), {"aligned": 2, "unaligned": 0, "preset": 0})
        self.assertEqual(spans(ms), [(4, 23), (35, 40)])
        self.assertEqual(ms[0]["text"], "Nguye\u0302\u0303n Đức\u00a0Nhương")
        self.assertEqual(ms[1]["text"], "7,1\u00a0%")

    def test_order_then_fallback_then_unaligned(self):
        text = "năm 2024, năm 2023 và năm 2024; năm 2024."
        ms = [wire("date", t) for t in ["năm 2023"] + ["năm 2024"] * 4]
        stats = align(text, ms)
        self.assertEqual(spans(ms), [(10, 18), (22, 30), (32, 40), (0, 8), None])
        self.assertEqual((stats["aligned"], stats["unaligned"]), (4, 1))

    def test_short_name_not_inside_the_full_name_and_used_spans_per_field(self):
        ms = [wire("official", "Nguyễn Thị Chung"), wire("official", "Chung")]
        align("bà Nguyễn Thị Chung, Chủ tịch; bà Chung nói", ms)
        self.assertEqual(spans(ms), [(3, 19), (34, 39)])
        ms = [wire("figure", "26"), wire("percentage", "26"), wire("figure", "26")]
        align("đạt 26 chỉ tiêu", ms)
        self.assertEqual(spans(ms), [(4, 6), (4, 6), None])

    def test_never_part_of_a_letter_blank_or_missing_text(self):
        ms = [wire("official", "Ho"), wire("official", "Hồng"), wire("official", "  "), {"field": "official"}]
        stats = align("Ông Hồ Văn Ho\u0302\u0300ng", ms)
        self.assertEqual(spans(ms), [None, (11, 17), None, None])
        self.assertEqual(stats["unaligned"], 3)
        self.assertEqual(ms[0]["text"], "Ho")

    def test_mentions_with_offsets_are_kept_and_take_part(self):
        ms = [{"field": "percentage", "start": 7, "end": 9, "text": "kept as is"}, wire("percentage", "7%")]
        self.assertEqual(align("7% rồi 7% rồi 7%", ms)["preset"], 1)
        self.assertEqual(ms[0]["text"], "kept as is")
        self.assertEqual(spans(ms), [(7, 9), (14, 16)])

    def test_fold_is_canonical_and_whitespace_blind(self):
        self.assertEqual(fold(" Nguye\u0302\u0303n\r\n\u00a0Đức "), fold("Nguyễn Đức"))
        self.assertNotEqual(fold("Nguyễn"), fold("nguyễn"))  # case is kept
        # Python's isspace() is not White_Space: U+001F is a space to Python only.
        self.assertNotEqual(fold("a\x1fb"), fold("a b"))
        self.assertEqual(fold("a\u3000b"), fold("a b"))


if __name__ == "__main__":
    unittest.main()
