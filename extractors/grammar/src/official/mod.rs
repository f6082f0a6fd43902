//! Officials: person names bound to office titles. Three steps, one module
//! each: [`title`] finds the title chains, [`name`] the person names, and
//! [`bind`] binds names to the chains around them and finds later mentions.
//!
//! ```text
//! title   := [MODIFIER] HEAD ORG*                  -- Phó Bí thư Huyện ủy, Chủ tịch UBND huyện
//! chain   := title (("," | ";" | "và") title)*
//! name    := SURNAME SYLLABLE{1,3} | HONORIFIC CAPITALISED{2,4}
//! binding := [HONORIFIC] name [SEP] chain | chain [SEP] [HONORIFIC] name | …
//! ```
//! Once an official is known, later mentions of the same name, and short
//! names after "ông"/"bà"/"đồng chí", are officials with no titles.

mod bind;
mod name;
mod title;

pub use bind::find_officials;

#[derive(Clone, Debug, PartialEq)]
pub struct OfficialMatch {
    pub first: usize,
    pub last: usize,
    pub titles: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Doc;

    /// `expected`: (name, titles) of every official in `input`.
    fn check(input: &str, expected: &[(&str, &[&str])]) {
        let doc = Doc::new(input, &[]);
        let got: Vec<(String, Vec<String>)> = find_officials(&doc)
            .into_iter()
            .map(|m| (doc.slice(m.first, m.last).to_string(), m.titles))
            .collect();
        let want: Vec<(String, Vec<String>)> = expected
            .iter()
            .map(|&(n, ts)| (n.to_string(), ts.iter().map(|t| t.to_string()).collect()))
            .collect();
        assert_eq!(got, want, "officials in {input:?}");
    }

    type Expected<'a> = &'a [(&'a str, &'a [&'a str])];

    #[test]
    fn bindings() {
        let table: &[(&str, Expected)] = &[
            (
                "Ông Trần Văn Hải - Chủ tịch UBND xã chủ trì buổi làm việc.",
                &[("Trần Văn Hải", &["Chủ tịch UBND xã"])],
            ),
            (
                "Đồng chí Lê Thị Hoa – Phó Bí thư Thường trực Thị ủy, Chủ tịch HĐND thị xã phát biểu.",
                &[("Lê Thị Hoa", &["Phó Bí thư Thường trực Thị ủy", "Chủ tịch HĐND thị xã"])],
            ),
            (
                "đồng chí Phan Minh Tâm, Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Huyện uỷ dự họp.",
                &[("Phan Minh Tâm", &["Ủy viên Ban Thường vụ Tỉnh ủy", "Bí thư Huyện uỷ"])],
            ),
            (
                "Phát biểu tại buổi lễ, Giám đốc Sở Y tế Đặng Quốc Bảo cho biết",
                &[("Đặng Quốc Bảo", &["Giám đốc Sở Y tế"])],
            ),
            (
                "Chủ tịch UBND tỉnh Hà Nam Trương Quốc Huy nhấn mạnh",
                &[("Trương Quốc Huy", &["Chủ tịch UBND tỉnh Hà Nam"])],
            ),
            (
                "đồng chí Bùi Văn Lộc, đồng chí Hồ Thị Mai- Phó Chủ tịch UBND huyện dự.",
                &[
                    ("Bùi Văn Lộc", &["Phó Chủ tịch UBND huyện"]),
                    ("Hồ Thị Mai", &["Phó Chủ tịch UBND huyện"]),
                ],
            ),
            (
                "Ông Đỗ Văn Nam - Bí thư Đảng ủy xã; ông Vũ Văn Bình, Chủ tịch UBND xã và ông Tô Văn An cùng dự.",
                &[
                    ("Đỗ Văn Nam", &["Bí thư Đảng ủy xã"]),
                    ("Vũ Văn Bình", &["Chủ tịch UBND xã"]),
                ],
            ),
            (
                "Bí thư Huyện ủy Lâm Văn Sáu, Chủ tịch HĐND huyện làm trưởng đoàn.",
                &[("Lâm Văn Sáu", &["Bí thư Huyện ủy", "Chủ tịch HĐND huyện"])],
            ),
            (
                "Ông Ngô Văn Tư - Chủ tịch UBND huyện phát biểu. Sau đó, ông Ngô Văn Tư trao quà.",
                &[("Ngô Văn Tư", &["Chủ tịch UBND huyện"]), ("Ngô Văn Tư", &[])],
            ),
            (
                "Phó Chủ tịch UBND phường Nguyễn Thị Lan (phụ trách văn xã)",
                &[("Nguyễn Thị Lan", &["Phó Chủ tịch UBND phường"])],
            ),
            (
                "ông Hoàng Văn Khải, Trưởng phòng Nông nghiệp và PTNT huyện trình bày",
                &[("Hoàng Văn Khải", &["Trưởng phòng Nông nghiệp và PTNT huyện"])],
            ),
            (
                "anh Lý Văn Dũng, Bí thư Đoàn TNCS Hồ Chí Minh xã",
                &[("Lý Văn Dũng", &["Bí thư Đoàn TNCS Hồ Chí Minh xã"])],
            ),
            (
                "Bà Mai Thị Hằng (thứ hai từ trái) - Phó Giám đốc Sở Tư pháp trao giấy khen",
                &[("Mai Thị Hằng", &["Phó Giám đốc Sở Tư pháp"])],
            ),
            (
                "Đại tá Lưu Văn Thắng, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh và Chủ tịch UBND tỉnh Cao Minh Đức",
                &[
                    ("Lưu Văn Thắng", &["Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh"]),
                    ("Cao Minh Đức", &["Chủ tịch UBND tỉnh"]),
                ],
            ),
            (
                "Chủ tịch UBND xã Hà Văn Tư, Phó Chủ tịch UBND xã Đỗ Thị Liên cùng dự",
                &[
                    ("Hà Văn Tư", &["Chủ tịch UBND xã"]),
                    ("Đỗ Thị Liên", &["Phó Chủ tịch UBND xã"]),
                ],
            ),
            (
                "đồng chí Kiều Văn Phúc - UVBTV Huyện ủy, PCT UBND huyện",
                &[("Kiều Văn Phúc", &["UVBTV Huyện ủy", "PCT UBND huyện"])],
            ),
            (
                "có các đồng chí Phó Chủ tịch UBND huyện: Lương Văn Sỹ, Tăng Thị Mỹ và Triệu Văn Bé.",
                &[
                    ("Lương Văn Sỹ", &["Phó Chủ tịch UBND huyện"]),
                    ("Tăng Thị Mỹ", &["Phó Chủ tịch UBND huyện"]),
                    ("Triệu Văn Bé", &["Phó Chủ tịch UBND huyện"]),
                ],
            ),
            (
                "Chủ tịch UBND huyện Đào Văn Tín, ông Phí Văn Kỳ cùng dự",
                &[("Đào Văn Tín", &["Chủ tịch UBND huyện"])],
            ),
            (
                "Giám đốc Ban Quản lý dự án đầu tư xây dựng huyện, đ/c Hầu Văn Sang báo cáo",
                &[("Hầu Văn Sang", &["Giám đốc Ban Quản lý dự án đầu tư xây dựng huyện"])],
            ),
            (
                "Chủ tịch UBND huyện, ông Dương Văn Lợi, cho biết",
                &[("Dương Văn Lợi", &["Chủ tịch UBND huyện"])],
            ),
            (
                "Đồng chí Y Bhin Niê – TUV, Phó CT UBND tỉnh dự.",
                &[("Y Bhin Niê", &["TUV", "Phó CT UBND tỉnh"])],
            ),
            (
                "có ông H’Mon Ksor, Chủ tịch HĐND huyện.",
                &[("H’Mon Ksor", &["Chủ tịch HĐND huyện"])],
            ),
            (
                "bà Trần Thị Mai - Phó Ban Dân tộc HĐND tỉnh phát biểu",
                &[("Trần Thị Mai", &["Phó Ban Dân tộc HĐND tỉnh"])],
            ),
            (
                "Giám đốc CATP Đà Nẵng Lê Văn Tâm chủ trì",
                &[("Lê Văn Tâm", &["Giám đốc CATP Đà Nẵng"])],
            ),
            (
                "Thứ trưởng Bộ KH-ĐT Trần Quốc Phương phát biểu",
                &[("Trần Quốc Phương", &["Thứ trưởng Bộ KH-ĐT"])],
            ),
            (
                "Chủ tịch UBND quận 5 Phạm Văn Hòa kiến nghị",
                &[("Phạm Văn Hòa", &["Chủ tịch UBND quận 5"])],
            ),
            (
                "nguyên Bộ trưởng Bộ Tư pháp Lại Văn Bình dự",
                &[("Lại Văn Bình", &["nguyên Bộ trưởng Bộ Tư pháp"])],
            ),
            (
                "Ông Lương Văn Hòa - Chủ tịch UBND xã cho biết. Theo ông Hòa, bà con đồng tình.",
                &[("Lương Văn Hòa", &["Chủ tịch UBND xã"]), ("Hòa", &[])],
            ),
            ("sau đó đồng chí Trịnh Văn Quyết đề nghị", &[("Trịnh Văn Quyết", &[])]),
            (
                "Phó Chủ tịch UBND tỉnh Giàng Seo Lử phát biểu",
                &[("Giàng Seo Lử", &["Phó Chủ tịch UBND tỉnh"])],
            ),
            (
                "Bí thư Huyện ủy Ksor Phước Hlim và Chủ tịch UBND huyện Rơ Mah Thuân dự",
                &[
                    ("Ksor Phước Hlim", &["Bí thư Huyện ủy"]),
                    ("Rơ Mah Thuân", &["Chủ tịch UBND huyện"]),
                ],
            ),
            (
                "Ông Tạ Văn An, Phó Chủ tịch UBND tỉnh, kiêm Trưởng Ban Chỉ đạo 389 tỉnh cho biết",
                &[("Tạ Văn An", &["Phó Chủ tịch UBND tỉnh", "Trưởng Ban Chỉ đạo 389 tỉnh"])],
            ),
            (
                "Bí thư Tỉnh ủy Đinh Văn Phúc phát biểu. Theo đồng chí Phúc, tỉnh đã làm tốt.",
                &[("Đinh Văn Phúc", &["Bí thư Tỉnh ủy"]), ("Phúc", &[])],
            ),
            ("ngày sinh Chủ tịch Hồ Chí Minh", &[("Hồ Chí Minh", &["Chủ tịch"])]),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn not_officials() {
        let table: &[&str] = &[
            "đồng chí Chủ tịch UBND xã đề nghị các thôn",
            "Trụ sở ở số 10 đường Nguyễn Văn Cừ, Chủ tịch UBND xã",
            "trường THCS Trần Quốc Toản và trường Tiểu học Lê Lợi",
            "ông Nguyễn Văn Bảy, người dân thôn Đông cho biết",
            "Chủ tịch UBND tỉnh Hà Tĩnh yêu cầu",
            "Trưởng các ban ngành xã Võ Văn Ba",
            "ông Đặng Văn Tú, Giám đốc Công ty Bình Minh cho biết",
            "bà Anna Smith, Giám đốc Ban điều hành dự án cho biết",
            "Giám đốc CATP Hà Nội yêu cầu",
            "ông Trần Văn Sáu, Chủ tịch Hội Cựu giáo chức huyện phát biểu",
            "Chủ tịch UBND tỉnh dâng hương tại lễ hội Trần Quốc Toản",
            "ông Nguyễn Văn Hải, người dân thôn 3. Theo ông Hải, giá lúa tăng",
        ];
        for &input in table {
            check(input, &[]);
        }
    }
}
