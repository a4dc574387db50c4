"""Who works where in the demo: the agencies of a province and of a commune, and their posts.

Pure data and pure functions (no ORM), so that the rosters can be read and tested on their own.
Posts follow the two-tier local government in force since 1 July 2025: province agencies
(Tỉnh ủy, UBND, HĐND, Mặt trận, mass organisations, departments) and commune agencies (Đảng ủy,
UBND with its two divisions and civil servants, HĐND, Mặt trận, mass organisations).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gandan.org.models import AgencyKind, Field
from gandan.people.models import EmploymentType

HEAD, VICE, STAFF = 0, 1, 2
CADRE, CIVIL, PUBLIC, CONTRACT = (EmploymentType.CADRE, EmploymentType.CIVIL_SERVANT,
                                  EmploymentType.PUBLIC_EMPLOYEE, EmploymentType.CONTRACT)


@dataclass(frozen=True)
class Post:
    position: str
    employment_type: str
    rank: int  # HEAD, VICE or STAFF


@dataclass(frozen=True)
class AgencySpec:
    """One agency; `name` is formatted with {place} ("tỉnh Tuyên Quang", "xã Nghĩa Thuận") and {name}."""

    kind: str
    name: str
    head: str
    vice: str
    vices: int
    weight: int = 0  # share of the province's cadres
    fields: tuple[str, ...] = ()
    elected: bool = True  # heads and vices are "cán bộ" (elected or appointed by the party)


PROVINCE_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(AgencyKind.PARTY_COMMITTEE, "Tỉnh ủy {name}", "Bí thư Tỉnh ủy", "Phó Bí thư Tỉnh ủy", 2, 95),
    AgencySpec(AgencyKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân {place}", "Chủ tịch UBND tỉnh",
               "Phó Chủ tịch UBND tỉnh", 3, 85),
    AgencySpec(AgencyKind.PEOPLES_COUNCIL, "Hội đồng nhân dân {place}", "Chủ tịch HĐND tỉnh",
               "Phó Chủ tịch HĐND tỉnh", 2, 30),
    AgencySpec(AgencyKind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam {place}",
               "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", 3, 45),
    AgencySpec(AgencyKind.YOUTH_UNION, "Tỉnh đoàn {name}", "Bí thư Tỉnh đoàn", "Phó Bí thư Tỉnh đoàn", 2, 25),
    AgencySpec(AgencyKind.WOMENS_UNION, "Hội Liên hiệp Phụ nữ {place}", "Chủ tịch Hội LHPN tỉnh",
               "Phó Chủ tịch Hội LHPN tỉnh", 2, 25),
    AgencySpec(AgencyKind.FARMERS_UNION, "Hội Nông dân {place}", "Chủ tịch Hội Nông dân tỉnh",
               "Phó Chủ tịch Hội Nông dân tỉnh", 2, 25),
    AgencySpec(AgencyKind.VETERANS_ASSOCIATION, "Hội Cựu chiến binh {place}",
               "Chủ tịch Hội Cựu chiến binh tỉnh", "Phó Chủ tịch Hội Cựu chiến binh tỉnh", 1, 15),
    *(
        AgencySpec(AgencyKind.DEPARTMENT, name, head, vice, vices, weight, fields, elected=False)
        for name, head, vice, vices, weight, fields in (
            ("Sở Nông nghiệp và Môi trường", "Giám đốc Sở", "Phó Giám đốc Sở", 4, 160,
             (Field.LAND, Field.ENVIRONMENT)),
            ("Sở Xây dựng", "Giám đốc Sở", "Phó Giám đốc Sở", 3, 90, (Field.INFRASTRUCTURE,)),
            ("Sở Y tế", "Giám đốc Sở", "Phó Giám đốc Sở", 3, 150, (Field.HEALTH, Field.SOCIAL_POLICY)),
            ("Sở Giáo dục và Đào tạo", "Giám đốc Sở", "Phó Giám đốc Sở", 3, 130, (Field.EDUCATION,)),
            ("Sở Nội vụ", "Giám đốc Sở", "Phó Giám đốc Sở", 3, 70,
             (Field.ADMIN_PROCEDURE, Field.SOCIAL_POLICY)),
            ("Công an tỉnh", "Giám đốc Công an tỉnh", "Phó Giám đốc Công an tỉnh", 4, 180, (Field.SECURITY,)),
            ("Sở Tài chính", "Giám đốc Sở", "Phó Giám đốc Sở", 3, 70, (Field.OTHER,)),
            ("Sở Công Thương", "Giám đốc Sở", "Phó Giám đốc Sở", 3, 50, (Field.OTHER,)),
            ("Sở Khoa học và Công nghệ", "Giám đốc Sở", "Phó Giám đốc Sở", 2, 45, (Field.OTHER,)),
            ("Sở Văn hóa, Thể thao và Du lịch", "Giám đốc Sở", "Phó Giám đốc Sở", 3, 60, (Field.OTHER,)),
            ("Sở Tư pháp", "Giám đốc Sở", "Phó Giám đốc Sở", 2, 35, (Field.ADMIN_PROCEDURE,)),
            ("Sở Dân tộc và Tôn giáo", "Giám đốc Sở", "Phó Giám đốc Sở", 2, 30, (Field.SOCIAL_POLICY,)),
            ("Thanh tra tỉnh", "Chánh Thanh tra tỉnh", "Phó Chánh Thanh tra tỉnh", 2, 45, (Field.OTHER,)),
        )
    ),
)
# The rest of a province agency's staff, by weight.
PROVINCE_STAFF: tuple[tuple[str, str, int], ...] = (
    ("Trưởng phòng", CIVIL, 7), ("Phó Trưởng phòng", CIVIL, 9), ("Chuyên viên chính", CIVIL, 16),
    ("Chuyên viên", CIVIL, 40), ("Viên chức", PUBLIC, 18), ("Nhân viên hợp đồng", CONTRACT, 10),
)
PARTY_STAFF: tuple[tuple[str, str, int], ...] = (
    ("Trưởng ban", CIVIL, 5), ("Phó Trưởng ban", CIVIL, 8), ("Chuyên viên chính", CIVIL, 20),
    ("Chuyên viên", CIVIL, 50), ("Nhân viên hợp đồng", CONTRACT, 8),
)

# Commune agencies: {kind} is the commune's type ("xã", "phường", "đặc khu").
COMMUNE_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(AgencyKind.PARTY_COMMITTEE, "Đảng ủy {place}", "Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", 1),
    AgencySpec(AgencyKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân {place}", "Chủ tịch UBND {kind}",
               "Phó Chủ tịch UBND {kind}", 2),
    AgencySpec(AgencyKind.PEOPLES_COUNCIL, "Hội đồng nhân dân {place}", "Chủ tịch HĐND {kind}",
               "Phó Chủ tịch HĐND {kind}", 1),
    AgencySpec(AgencyKind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam {place}", "Chủ tịch Ủy ban MTTQ {kind}",
               "Phó Chủ tịch Ủy ban MTTQ {kind}", 1),
    AgencySpec(AgencyKind.YOUTH_UNION, "Đoàn Thanh niên {place}", "Bí thư Đoàn {kind}",
               "Phó Bí thư Đoàn {kind}", 1),
    AgencySpec(AgencyKind.WOMENS_UNION, "Hội Liên hiệp Phụ nữ {place}", "Chủ tịch Hội LHPN {kind}",
               "Phó Chủ tịch Hội LHPN {kind}", 1),
    AgencySpec(AgencyKind.FARMERS_UNION, "Hội Nông dân {place}", "Chủ tịch Hội Nông dân {kind}",
               "Phó Chủ tịch Hội Nông dân {kind}", 1),
    AgencySpec(AgencyKind.VETERANS_ASSOCIATION, "Hội Cựu chiến binh {place}",
               "Chủ tịch Hội Cựu chiến binh {kind}", "Phó Chủ tịch Hội Cựu chiến binh {kind}", 1),
)
PARTY, UBND, HDND, FRONT = 0, 1, 2, 3  # indexes into COMMUNE_AGENCIES
COMMUNE_SPECIALISTS = (
    "Công chức Văn phòng - Thống kê", "Công chức Địa chính - Xây dựng", "Công chức Tư pháp - Hộ tịch",
    "Công chức Tài chính - Kế toán", "Công chức Văn hóa - Xã hội",
    "Công chức Địa chính - Nông nghiệp - Môi trường",
)
# The fixed posts of a fully staffed commune, after the heads and vices of every agency.
COMMUNE_POSTS: tuple[tuple[int, str, str], ...] = (
    (PARTY, "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", CADRE), (PARTY, "Chánh Văn phòng Đảng ủy", CIVIL),
    (PARTY, "Trưởng Ban Xây dựng Đảng", CIVIL),
    (UBND, "Trưởng phòng Kinh tế", CIVIL), (UBND, "Trưởng phòng Văn hóa - Xã hội", CIVIL),
    (UBND, "Chánh Văn phòng HĐND và UBND", CIVIL), (UBND, "Chỉ huy trưởng Ban Chỉ huy Quân sự", CIVIL),
    (UBND, "Giám đốc Trung tâm Phục vụ hành chính công", PUBLIC),
    *((UBND, post, CIVIL) for post in COMMUNE_SPECIALISTS),
    (HDND, "Trưởng ban Kinh tế - Ngân sách HĐND", CADRE), (HDND, "Trưởng ban Văn hóa - Xã hội HĐND", CADRE),
)
# Filling a large commune up to its head count.
COMMUNE_FILLER: tuple[tuple[int, str, str, int], ...] = (
    *((UBND, post, CIVIL, 6) for post in COMMUNE_SPECIALISTS),
    (UBND, "Chuyên viên Phòng Kinh tế", CIVIL, 8), (UBND, "Chuyên viên Phòng Văn hóa - Xã hội", CIVIL, 8),
    (UBND, "Viên chức Trung tâm Phục vụ hành chính công", PUBLIC, 8),
    (UBND, "Nhân viên hợp đồng", CONTRACT, 6),
    (PARTY, "Chuyên viên Văn phòng Đảng ủy", CIVIL, 6), (PARTY, "Chuyên viên Ban Xây dựng Đảng", CIVIL, 4),
    (FRONT, "Chuyên viên Ủy ban MTTQ", CIVIL, 4),
)
# Party membership rate by employment type; heads and vices are always members (~60% overall).
PARTY_RATE: dict[str, float] = {CADRE: 1.0, CIVIL: 0.55, PUBLIC: 0.4, CONTRACT: 0.15}
# Who works in some bodies: (youngest, oldest, female: True/False, or None for either).
PROFILE_BY_KIND: dict[str, tuple[int, int, bool | None]] = {
    AgencyKind.YOUTH_UNION: (24, 35, None),
    AgencyKind.WOMENS_UNION: (26, 58, True),
    AgencyKind.VETERANS_ASSOCIATION: (50, 62, False),
}
AGES_BY_RANK = {HEAD: (42, 58), VICE: (36, 57), STAFF: (23, 59)}


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), so the parts add up exactly."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def province_roster(rng: random.Random, spec: AgencySpec, size: int) -> list[Post]:
    """`size` posts for a province agency: its head, its vices, then staff drawn by weight."""
    lead = CADRE if spec.elected else CIVIL
    posts = [Post(spec.head, lead, HEAD)] + [Post(spec.vice, lead, VICE)] * min(spec.vices, max(size - 1, 0))
    staff = PARTY_STAFF if spec.kind == AgencyKind.PARTY_COMMITTEE else PROVINCE_STAFF
    for _ in range(size - len(posts)):
        position, employment, _weight = rng.choices(staff, weights=[w for *_, w in staff])[0]
        posts.append(Post(position, employment, STAFF))
    return posts[:size]


def commune_roster(rng: random.Random, kind: str, size: int | None) -> dict[int, list[Post]]:
    """Posts by commune agency index. `size=None`: the smallest team that can run a commune
    (party secretary, chairman, vice-chairman, one civil servant); otherwise every agency's head
    and vice, the fixed posts, then fillers up to `size`."""
    def fmt(text: str) -> str:
        return text.format(kind=kind)

    roster: dict[int, list[Post]] = {i: [] for i in range(len(COMMUNE_AGENCIES))}
    if size is None:
        party, ubnd = COMMUNE_AGENCIES[PARTY], COMMUNE_AGENCIES[UBND]
        roster[PARTY].append(Post(fmt(party.head), CADRE, HEAD))
        roster[UBND] += [Post(fmt(ubnd.head), CADRE, HEAD), Post(fmt(ubnd.vice), CADRE, VICE),
                         Post(rng.choice(COMMUNE_SPECIALISTS), CIVIL, STAFF)]
        return roster
    for i, spec in enumerate(COMMUNE_AGENCIES):
        roster[i] += [Post(fmt(spec.head), CADRE, HEAD)] + [Post(fmt(spec.vice), CADRE, VICE)] * spec.vices
    for i, position, employment in COMMUNE_POSTS:
        roster[i].append(Post(position, employment, STAFF))
    weights = [w for *_, w in COMMUNE_FILLER]
    for _ in range(size - sum(len(posts) for posts in roster.values())):
        i, position, employment, _weight = rng.choices(COMMUNE_FILLER, weights=weights)[0]
        roster[i].append(Post(position, employment, STAFF))
    return roster
