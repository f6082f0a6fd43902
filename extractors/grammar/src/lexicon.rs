//! General vocabulary: unit and counted nouns, multipliers, title words,
//! organisation words, surnames, honorifics. Nothing here is specific to any
//! one article.

use crate::text::{Lex, WordSet};
use std::sync::OnceLock;

macro_rules! lex {
    ($(#[$m:meta])* $name:ident: $ty:ident = [$($s:expr),* $(,)?]) => {
        $(#[$m])*
        pub fn $name() -> &'static $ty {
            static CELL: OnceLock<$ty> = OnceLock::new();
            CELL.get_or_init(|| $ty::new(&[$($s),*]))
        }
    };
}

lex!(
    /// Common Vietnamese surnames.
    surnames: WordSet = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
        "Ngô", "Dương", "Lý", "Trịnh", "Đinh", "Lâm", "Mai", "Trương", "Đoàn", "Cao", "Lương", "Hà", "Tô",
        "Tạ", "Châu", "Lưu", "Quách", "Thái", "Phùng", "Kiều", "Triệu", "Đào", "Doãn", "Chu", "Giang",
        "Khổng", "Khúc", "Lục", "Mạc", "Nông", "Tăng", "Thân", "Tôn", "Từ", "Vi", "Vương", "Âu", "Diệp",
        "Đàm", "Hứa", "Bạch", "Cù", "Hầu", "Lò", "Lã", "Lại", "Nghiêm", "Phí", "Quản", "Tiêu", "Trình",
        "Lữ", "Mẫn", "Hàn", "Thạch",
    ]
);

lex!(
    /// Honorifics and ranks that may introduce a name (never part of a span).
    honorifics: Lex = [
        "ông", "bà", "đồng chí", "các đồng chí", "đ / c", "anh", "chị", "cô", "thầy", "đại tá", "thượng tá",
        "trung tá", "thiếu tá", "đại úy", "thiếu tướng", "trung tướng", "thượng tướng", "đại tướng",
    ]
);

lex!(
    /// Words that may stand before a title head: "Phó", "Quyền", "nguyên".
    title_modifiers: Lex = ["phó", "quyền", "nguyên", "nguyên phó"]
);

lex!(
    /// Heads of office titles.
    title_heads: Lex = [
        "chủ tịch", "chủ tịch nước", "tổng bí thư", "bí thư", "tổng giám đốc", "giám đốc", "trưởng ban",
        "trưởng phòng", "trưởng đoàn", "trưởng thôn", "trưởng khu", "trưởng ấp", "trưởng bản",
        "chánh văn phòng", "chánh án", "chánh thanh tra", "viện trưởng", "chỉ huy trưởng", "chính ủy",
        "chính trị viên", "ủy viên", "tỉnh ủy viên", "huyện ủy viên", "thành ủy viên", "đảng ủy viên",
        "chủ nhiệm", "bộ trưởng", "thứ trưởng", "thủ tướng", "phó thủ tướng", "đại biểu quốc hội",
        "đại biểu hđnd", "hiệu trưởng", "thủ trưởng", "tổ trưởng", "đội trưởng", "kế toán trưởng",
        "tư lệnh", "cục trưởng", "vụ trưởng", "chi cục trưởng", "trưởng", "người phát ngôn",
        // abbreviations: Ủy viên Ban Thường vụ, Phó Chủ tịch, Phó Bí thư, Tỉnh/Huyện ủy viên, ...
        "uvbtv", "uv btv", "uvbch", "uv bch", "ct", "pct", "bt", "pbt", "tuv", "huv", "gđ", "pgđ", "đbqh",
    ]
);

lex!(
    /// Heads too generic to stand alone: they need an organisation after them.
    bare_heads: Lex = ["trưởng", "ủy viên"]
);

lex!(
    /// Organisation words that continue a title in any letter case.
    org_any_case: Lex = [
        "ubnd", "hđnd", "ủy ban nhân dân", "ủy ban", "hội đồng nhân dân", "nhân dân", "huyện ủy", "tỉnh ủy",
        "thành ủy", "thị ủy", "quận ủy", "đảng ủy", "đảng bộ", "ban chấp hành", "ban thường vụ", "thường vụ",
        "thường trực", "mặt trận tổ quốc", "bch", "btv", "mttq", "quản lý dự án", "dự án đầu tư xây dựng",
        "đầu tư xây dựng", "đầu tư và xây dựng",
    ]
);

lex!(
    /// Administrative units: a capitalised run after them is a place name.
    admin_units: Lex = [
        "huyện", "tỉnh", "xã", "thị trấn", "thành phố", "tp", "phường", "quận", "thị xã", "thôn", "khu phố",
        "ấp", "bản", "làng", "xóm", "huyện ủy", "tỉnh ủy", "thành ủy", "thị ủy", "quận ủy", "đảng ủy",
        "đảng bộ",
    ]
);

lex!(
    /// Organisation words and department names written with a capital.
    org_capital: Lex = [
        "ban", "sở", "phòng", "bộ", "cục", "chi cục", "vụ", "viện", "trung tâm", "hội", "liên đoàn",
        "liên đoàn lao động", "hội nông dân", "hội phụ nữ", "hội cựu chiến binh", "đoàn", "đoàn thanh niên",
        "thanh niên", "cộng sản", "hồ chí minh", "huyện đoàn", "tỉnh đoàn", "thành đoàn", "chi bộ",
        "chi hội", "tuyên giáo", "dân vận", "tổ chức", "kiểm tra", "nội chính", "văn phòng", "chính phủ",
        "quốc hội", "trung ương", "việt nam", "mặt trận", "tổ quốc", "công an", "quân sự", "bộ chỉ huy",
        "ban chỉ huy", "chỉ huy", "thanh tra", "tòa án", "tòa án nhân dân", "viện kiểm sát",
        "viện kiểm sát nhân dân", "kho bạc", "kho bạc nhà nước", "bảo hiểm xã hội", "giáo dục",
        "giáo dục và đào tạo", "đào tạo", "tài chính", "tài chính - kế hoạch", "kế hoạch", "đầu tư",
        "kế hoạch và đầu tư", "nội vụ", "tư pháp", "y tế", "văn hóa", "thông tin", "văn hóa và thông tin",
        "thể thao", "du lịch", "nông nghiệp", "nông nghiệp và phát triển nông thôn", "phát triển nông thôn",
        "tài nguyên", "môi trường", "tài nguyên và môi trường", "công thương", "xây dựng", "kinh tế",
        "hạ tầng", "kinh tế và hạ tầng", "giao thông vận tải", "lao động", "thương binh", "xã hội",
        "lao động - thương binh và xã hội", "khoa học", "công nghệ", "khoa học và công nghệ", "dân tộc",
        "ban quản lý", "quản lý dự án", "tiếp công dân", "đảng đoàn", "ban cán sự", "ủy ban kiểm tra",
        "cựu chiến binh", "phụ nữ", "nông dân", "đại hội", "hội đồng", "bộ chính trị", "ban bí thư",
        "ban tổ chức", "ban tuyên giáo", "ban dân vận", "ban nội chính", "ban kinh tế", "ban pháp chế",
        "ban văn hóa - xã hội", "ban kinh tế - xã hội", "ban kinh tế - ngân sách", "ban dân tộc",
        "ban chấp hành trung ương", "trung ương đảng", "ủy ban thường vụ quốc hội", "hội đồng dân tộc",
        "đoàn đại biểu quốc hội", "hội liên hiệp phụ nữ", "liên hiệp phụ nữ", "hội chữ thập đỏ",
        "chữ thập đỏ", "hội khuyến học", "khuyến học", "người cao tuổi", "hội người cao tuổi",
        "liên minh hợp tác xã", "thông tin và truyền thông", "văn hóa, thể thao và du lịch",
        "văn hóa - thông tin", "văn hóa - xã hội", "lao động - thương binh và xã hội", "tài chính - kế hoạch",
        "kinh tế - hạ tầng", "tài nguyên - môi trường", "ủy ban nhân dân", "hội đồng nhân dân",
    ]
);

lex!(
    /// Words that put a name inside a street, school or place name.
    place_prefixes: Lex = [
        "đường", "phố", "đại lộ", "ngõ", "ngách", "hẻm", "cầu", "trường", "quảng trường", "công viên",
        "nhà văn hóa", "bệnh viện", "giải", "quỹ", "tượng đài", "khu", "tổ", "mang tên", "tên", "lăng",
        "đền", "chùa", "đình", "nhà thờ", "sông", "núi", "hồ", "đảo", "chợ", "bến", "cảng", "sân bay",
        "thcs", "thpt", "th", "tiểu học", "mầm non", "mẫu giáo", "phổ thông", "trung học", "học viện",
        "đại học", "tdp", "xã", "huyện", "tỉnh", "thị trấn", "thành phố", "phường", "quận", "thị xã",
        "thôn", "ấp", "bản", "làng", "xóm", "khu phố", "tp", "công ty", "tập đoàn", "hợp tác xã",
    ]
);

lex!(
    /// Multipliers: nghìn/ngàn ×10³, triệu ×10⁶, tỷ/tỉ ×10⁹.
    multipliers: Lex = ["nghìn", "ngàn", "triệu", "tỷ", "tỉ"]
);

/// The power of ten of the multiplier word at `i`.
pub fn multiplier_exp(key: &str) -> Option<u32> {
    use crate::text::fold;
    let k = key;
    if k == fold("nghìn") || k == fold("ngàn") {
        Some(3)
    } else if k == fold("triệu") {
        Some(6)
    } else if k == fold("tỷ") || k == fold("tỉ") {
        Some(9)
    } else {
        None
    }
}

lex!(
    /// Measure units and counted nouns that may follow a number. Compounds
    /// are listed only when they are fixed nouns ("doanh nghiệp", "trường
    /// hợp"); otherwise the one-word head noun is the unit ("hộ", "giấy").
    units: Lex = [
        // money
        "đồng", "usd", "đô la", "euro", "vnđ", "vnd",
        // measures
        "tấn", "tạ", "yến", "kg", "gam", "ha", "hecta", "héc ta", "km", "m", "mét", "cm", "mm", "lít",
        "mw", "kw", "kwh", "mwh",
        // places and administrative units
        "xã", "phường", "thị trấn", "huyện", "tỉnh", "thôn", "làng", "bản", "ấp", "xóm", "khu", "tổ",
        "khu dân cư", "tổ dân phố", "điểm", "tuyến", "cầu", "đập", "hồ chứa", "kênh", "trạm", "chốt",
        "chợ", "trụ sở",
        // people
        "người", "hộ", "lao động", "học sinh", "sinh viên", "giáo viên", "cán bộ", "công chức",
        "viên chức", "đảng viên", "hội viên", "đoàn viên", "thành viên", "đại biểu", "đồng chí", "bệnh nhân",
        "bác sĩ", "y bác sĩ", "công nhân", "nông dân", "vận động viên", "du khách", "khách", "em", "cháu",
        "trẻ", "trẻ em", "cụ", "gia đình", "cá nhân", "tập thể", "đối tượng", "thí sinh", "chiến sĩ",
        "tình nguyện viên", "nhân khẩu",
        // organisations
        "doanh nghiệp", "hợp tác xã", "htx", "tổ hợp tác", "tổ chức", "cây số", "cơ sở", "đơn vị", "cơ quan", "trường",
        "lớp", "chi bộ", "đảng bộ", "câu lạc bộ", "clb", "đội", "nhóm", "làng nghề", "trang trại",
        // things and tasks
        "công trình", "dự án", "chương trình", "đề án", "kế hoạch", "nhiệm vụ", "chỉ tiêu", "tiêu chí",
        "sản phẩm", "giải pháp", "nội dung", "hạng mục", "gói thầu", "mô hình", "phong trào", "hoạt động",
        "sự kiện", "cuộc", "buổi", "đợt", "lượt", "vụ", "vụ việc", "trường hợp", "ca", "hồ sơ", "thủ tục",
        "văn bản", "tài liệu", "đơn", "đơn thư", "thư", "ý kiến", "kiến nghị", "câu hỏi", "giấy",
        "giấy phép", "bằng khen", "giấy khen", "huy chương", "giải", "suất", "phần quà", "phần", "quà",
        "căn", "căn hộ", "ngôi", "nhà", "phòng", "phòng học", "giường", "giường bệnh", "chiếc", "cái",
        "con", "cây", "bộ", "máy", "xe", "ô tô", "tàu", "thuyền", "phương tiện", "camera", "thửa", "lô",
        "tác phẩm", "bài", "bài viết", "tin", "tin bài", "đầu sách", "cuốn", "bản sao", "liều", "mũi",
        "nghị quyết", "quyết định", "tờ trình", "báo cáo", "chỉ thị", "thông báo", "cuộc họp", "phiên họp",
        "kỳ họp", "hội nghị", "lớp tập huấn", "cuộc thi", "giải thưởng", "tiết mục",
    ]
);

lex!(
    /// Words (or phrases) before a number that make it an identifier or an
    /// ordinal rather than a quantity: "lớp 10", "đề án 06", "Số 395".
    identifier_prefixes: Lex = [
        "lớp", "số", "số hiệu", "loại", "hạng", "đề án", "thứ", "lần thứ", "lần", "khóa",
        "kỳ", "kỳ họp", "đợt", "điều", "khoản", "chương", "mục", "phần", "tập", "câu", "trang", "phòng",
        "tầng", "tổ", "khu", "đội", "nhóm", "thôn", "xóm", "ấp", "bản", "khu phố", "tổ dân phố", "phường",
        "quận", "quốc lộ", "tỉnh lộ", "huyện lộ", "phương châm", "giai đoạn", "vòng", "bảng",
        "hình", "biểu", "phụ lục", "nghị định", "nghị quyết", "quyết định", "thông tư", "chỉ thị",
        "công văn", "top", "mã", "tuần", "covid", "ngày", "tháng", "năm", "quý", "lô", "thửa", "km",
        "số nhà",
    ]
);
