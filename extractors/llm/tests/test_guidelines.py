"""Field sections cut from the guidelines file."""

import os
import tempfile
import unittest

from guidelines import field_sections, sections

GOLD_GUIDELINES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "gold", "GUIDELINES.md")


class SectionsTest(unittest.TestCase):
    def test_the_real_guidelines_have_every_field(self):
        with open(GOLD_GUIDELINES, encoding="utf-8") as f:
            found = sections(f.read())
        for field in ["date", "official", "figure", "percentage"]:
            self.assertTrue(found[field].startswith(f"## {field}\n"), field)
            self.assertNotIn("\n## ", found[field], f"{field} runs into the next section")
        self.assertIn("TIMEX", found["date"])
        self.assertIn("phần trăm", found["percentage"])

    def test_headings_in_code_fences_and_deeper_levels_do_not_split(self):
        md = "intro\n## date\nrule 1\n```\n## not a heading\n```\n### sub\nrule 2\n## figure\nrule 3\n"
        found = sections(md)
        self.assertEqual(list(found), ["date", "figure"])
        self.assertIn("## not a heading", found["date"])
        self.assertIn("rule 2", found["date"])
        self.assertEqual(found["figure"], "## figure\nrule 3")

    def test_missing_sections_are_named_with_the_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
            f.write("## date\nd\n## figure\nf\n")
        try:
            self.assertEqual(field_sections(f.name, ["figure", "date"]), "## figure\nf\n\n## date\nd")
            with self.assertRaises(ValueError) as e:
                field_sections(f.name, ["date", "official"])
            self.assertIn(f.name, str(e.exception))
            self.assertIn("official", str(e.exception))
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
