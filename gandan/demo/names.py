"""Vietnamese name parts for demo data: people of the northern mountains (Hmông, Dao, Tày, Nùng) and
Kinh, and village names of the old Hà Giang highlands and of the Tuyên Quang midlands.

Pure data and pure functions over a `random.Random`, so that a seed always gives the same names.
"""

from __future__ import annotations

import functools
import itertools
import random
from dataclasses import dataclass

HMONG, DAO, TAY, NUNG, KINH = "hmong", "dao", "tay", "nung", "kinh"

# Where a commune lies decides who lives there; weights are rough shares of heads of household.
HIGHLAND, MIDLAND, URBAN = "highland", "midland", "urban"
ETHNIC_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    HIGHLAND: ((HMONG, 50), (DAO, 14), (TAY, 14), (NUNG, 7), (KINH, 15)),
    MIDLAND: ((KINH, 48), (TAY, 30), (DAO, 12), (NUNG, 4), (HMONG, 6)),
    URBAN: ((KINH, 70), (TAY, 18), (NUNG, 5), (DAO, 4), (HMONG, 3)),
}
# Cadres of the province's agencies come from everywhere, but more of them are Kinh and Tày.
CADRE_MIX: tuple[tuple[str, int], ...] = ((KINH, 52), (TAY, 26), (DAO, 8), (NUNG, 6), (HMONG, 8))


@dataclass(frozen=True)
class NameParts:
    surnames: tuple[str, ...]
    male_middle: tuple[str, ...]
    female_middle: tuple[str, ...]
    male_given: tuple[str, ...]
    female_given: tuple[str, ...]


NAMES: dict[str, NameParts] = {
    HMONG: NameParts(
        surnames=("Vàng", "Giàng", "Sùng", "Thào", "Lý", "Hầu", "Mua", "Vừ", "Lù", "Cứ", "Ly", "Sình"),
        male_middle=("Seo", "A", "Mí", "Văn", "Chẩn", "Xuân"),
        female_middle=("Thị",),
        male_given=("Sử", "Páo", "Dính", "Chá", "Sình", "Súa", "Chúng", "Pó", "Lử", "Dế", "Tủa", "Khai",
                    "Hờ", "Chinh", "Phử", "Vần", "Chư", "Sính", "Lầu", "Kháng", "Dìn", "Nhè", "Cáy", "Mình"),
        female_given=("Mỷ", "Sua", "Dợ", "Chi", "Dở", "Pà", "Cở", "Xúa", "Say", "Mai", "Chứ", "Dung",
                      "Sinh", "Lan", "Ly", "Pảng"),
    ),
    DAO: NameParts(
        surnames=("Triệu", "Bàn", "Đặng", "Lý", "Chảo", "Phùn", "Tẩn", "Lò", "Bàn", "Triệu"),
        male_middle=("Văn", "Tiến", "Quý", "Kim", "Láo", "Sành"),
        female_middle=("Thị",),
        male_given=("Quý", "Lưu", "Chàn", "Phin", "Hin", "Tiến", "Sơn", "Thanh", "Tài", "Vần", "Kiều",
                    "Phú", "Chung", "Sử", "Nhàn", "Dũng", "Lai", "Quyền"),
        female_given=("Nhất", "Mẩy", "Mai", "Liên", "Xuân", "Nhì", "Chàn", "Lai", "Kiều", "Dung", "Hoa",
                      "Mùi", "Ba"),
    ),
    TAY: NameParts(
        surnames=("Ma", "Hoàng", "Nông", "Lường", "Bế", "Lục", "Hà", "Lèo", "Mông", "Đàm", "Sầm", "Quan",
                  "Hoàng", "Ma"),
        male_middle=("Văn", "Đình", "Tiến", "Ngọc", "Văn", "Thế"),
        female_middle=("Thị", "Thị", "Thu", "Hồng"),
        male_given=("Hùng", "Thìn", "Dương", "Khiêm", "Đức", "Mừng", "Thắng", "Bình", "Chiến", "Hải", "Tuyên",
                    "Phúc", "Lợi", "Quyết", "Vịnh", "Nguyên", "Hoan", "Tình", "Sơn", "Toản"),
        female_given=("Thắm", "Nhung", "Hoa", "Lan", "Thơm", "Nga", "Mến", "Xuyến", "Huyền", "Dung", "Hằng",
                      "Thúy", "Phượng", "Loan", "Vân"),
    ),
    NUNG: NameParts(
        surnames=("Nông", "Hoàng", "Lục", "Vi", "Sân", "Lương", "Mã", "Chu", "Lù", "Nông"),
        male_middle=("Văn", "Tiến", "Đức", "Văn"),
        female_middle=("Thị",),
        male_given=("Phúc", "Hiền", "Pầu", "Sáng", "Vượng", "Chung", "Dũng", "Thành", "Khánh", "Lâm", "Quân"),
        female_given=("Mai", "Hương", "Lượt", "Sen", "Thanh", "Nhài", "Chiên", "Tươi", "Hiền"),
    ),
    KINH: NameParts(
        surnames=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh",
                  "Phan", "Trịnh", "Nguyễn", "Nguyễn", "Trần", "Lê", "Đào", "Lương", "Tạ", "Vương"),
        male_middle=("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Tiến", "Công", "Ngọc", "Thanh", "Mạnh"),
        female_middle=("Thị", "Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Minh", "Phương", "Kim"),
        male_given=("An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long", "Mạnh",
                    "Nam", "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Hiếu", "Thành", "Tâm",
                    "Hưng", "Toàn", "Lâm", "Kiên", "Vinh", "Thịnh", "Hòa", "Quyết"),
        female_given=("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Liên", "Linh",
                      "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Vân", "Yến",
                      "Huyền", "Thủy", "Hằng", "Nga", "Quỳnh"),
    ),
}


@functools.lru_cache(maxsize=64)
def _cumulative(choices: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], list[int]]:
    values, weights = zip(*choices, strict=True)
    return values, list(itertools.accumulate(weights))


def pick_weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    """One value by weight; the same draw as `rng.choices(values, weights)`, without re-adding weights."""
    values, cumulative = _cumulative(choices)
    return rng.choices(values, cum_weights=cumulative)[0]


def person_name(rng: random.Random, ethnicity: str, *, female: bool) -> str:
    """A plausible full name: "Vàng Seo Sử", "Giàng Thị Mỷ", "Ma Văn Hùng", "Triệu Thị Nhất"."""
    parts = NAMES[ethnicity]
    surname = rng.choice(parts.surnames)
    if female:
        return f"{surname} {rng.choice(parts.female_middle)} {rng.choice(parts.female_given)}"
    return f"{surname} {rng.choice(parts.male_middle)} {rng.choice(parts.male_given)}"


# Villages ("thôn", "bản") of the highlands: Hmông and Tày place names of the Quản Bạ plateau and around.
HIGHLAND_VILLAGES = (
    "Nậm Lìn", "Phín Ủng", "Cốc Pảng", "Lùng Cúng", "Sán Sả Hồ", "Lùng Tám Thấp", "Lùng Tám Cao", "Khố Hầu",
    "Hợp Tiến", "Tùng Nùn", "Nà Luông", "Lùng Khúy", "Tả Ván", "Pải Chư Phìn", "Sủng Chớ", "Mã Hồng",
    "Lao Chải", "Sà Phìn", "Lũng Táo", "Ma Lé", "Lũng Phìn", "Sủng Là", "Phố Cáo", "Sính Lủng", "Tả Lủng",
    "Xín Cái", "Thài Phìn Tủng", "Chúng Trải", "Lũng Hồ", "Na Khê", "Phú Lũng", "Sủng Tráng", "Mậu Long",
    "Pắc Sum", "Nà Quang", "Lũng Pù", "Xín Chải", "Thèn Ván", "Lùng Vài", "Tùng Vài Phìn", "Cao Mã Pờ",
    "Khâu Bái", "Lùng Hẩu", "Séo Lủng", "Nà Khoang", "Lùng Thàng", "Sán Sì Tòng", "Nặm Đăm", "Pả Láng",
    "Lùng Chu Phìn", "Nặm Ngoà", "Chín Chu Lìn", "Bó Đướng", "Lúp Khiếu", "Khuổi Vin", "Nà Mạ", "Tiến Thắng",
    "Hồng Minh", "Đoàn Kết", "Nà Sài", "Phìn Sảng", "Sảng Pả", "Quyết Tiến", "Chế Là", "Thanh Long",
    "Lủng Vái", "Mỏ Phìn", "Pó Qua", "Seo Lủng", "Tả Phìn", "Thanh Vân", "Nghĩa Hưng", "Bản Thùng",
)
HIGHLAND_BAN = ("Khun", "Bó", "Phùng", "Mế", "Tàn", "Luốc", "Nhùng", "Péo", "Pắng", "Thác", "Lầu", "Díu")
# Villages of the Tuyên Quang midlands: Tày place names and Kinh names of the new settlements.
MIDLAND_VILLAGES = (
    "Làng Chùa", "Đồng Bài", "Nà Khá", "Khuôn Hà", "Tân Lập", "Đồng Chùa", "Làng Ải", "Nà Lừa", "Khuổi Nhừ",
    "Phiêng Ngõa", "Đồng Tâm", "Tân Thành", "Tân Tiến", "Hợp Thành", "Làng Bục", "Cầu Mai", "Đồng Cháy",
    "Gia Kè", "Thọ Bình", "Lũng Hoài", "Khuôn Thẳm", "Nà Mụ", "Nà Ta", "Pác Cáp", "Cốc Phường", "Khuổi Phầy",
    "Đồng Giàng", "Làng Cả", "Làng Mới", "An Thịnh", "Hòa Bình", "Đoàn Kết", "Thống Nhất", "Đồng Xe",
    "Đồng Mán", "Phúc Lộc", "Yên Thượng", "Cây Vải", "Cầu Trôi", "Kim Thu Ngà", "Nà Nưa", "Khuôn Khoán",
    "Nà Coóc", "Nà Tông", "Lăng Khán", "Phai Tre", "Soi Đúng", "Tân Quang", "Đồng Cọ", "Làng Hản",
    "Khuôn Phầy", "Nà Bó", "Bình Man", "Chợ Chiêm", "Đèo Trám", "Lũng Cọ", "Đồng Đài", "Thanh Sơn",
)
MIDLAND_BAN = ("Khuôn", "Pài", "Lục", "Chiếu", "Tấng", "Chợ", "Khoan", "Vịt", "Ba", "Cuôn")


def village_names(rng: random.Random, region: str, count: int) -> list[tuple[str, str]]:
    """`count` distinct (name, division type) pairs for the villages of one commune."""
    if region == URBAN:
        return [(f"Tổ dân phố {i}", "tổ dân phố") for i in range(1, count + 1)]
    pool, ban, ban_share = ((HIGHLAND_VILLAGES, HIGHLAND_BAN, 0.2) if region == HIGHLAND
                            else (MIDLAND_VILLAGES, MIDLAND_BAN, 0.12))
    thon = rng.sample(pool, min(count, len(pool)))
    bans = rng.sample(ban, len(ban))
    result: list[tuple[str, str]] = []
    for i in range(count):
        if bans and rng.random() < ban_share:
            result.append((f"Bản {bans.pop()}", "bản"))
        elif i < len(thon):
            result.append((f"Thôn {thon[i]}", "thôn"))
        else:  # more villages than names (large scales): number them
            result.append((f"Thôn {thon[i % len(thon)]} {i // len(thon) + 1}", "thôn"))
    return result


MOBILE_PREFIXES = ("091", "094", "096", "097", "098", "086", "088", "032", "033", "035", "036", "037", "038",
                   "039", "081", "082", "083", "084", "085", "070", "076", "077")


def mobile_phone(rng: random.Random) -> str:
    """A Vietnamese mobile number such as 0912345678."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"


def office_phone(rng: random.Random, area_code: str = "0207") -> str:
    """A landline of an office, e.g. "0207 3822 345"."""
    return f"{area_code} 38{rng.randint(10, 99)} {rng.randint(100, 999)}"
