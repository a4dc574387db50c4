"""The shared indicator catalogue a deployment starts with (code, Vietnamese, English, measure)."""

from __future__ import annotations

DEFAULT_INDICATORS: tuple[tuple[str, str, str, str], ...] = (
    ("roads_repaired", "Đường giao thông được tu sửa, khơi thông cống rãnh", "Roads repaired, drains cleared", "km"),
    ("roads_concreted", "Đường giao thông nông thôn được bê tông hóa", "Rural roads concreted", "km"),
    ("lighting", "Đường điện thắp sáng đường quê", "Village street lighting", "km"),
    ("fields_reclaimed", "Ruộng bậc thang được khai hoang", "Terraced fields reclaimed", "ha"),
    ("gardens_renovated", "Vườn tạp được cải tạo", "Mixed gardens renovated", "gardens"),
    ("households_helped", "Hộ được giúp đỡ", "Households helped", "households"),
    ("workdays", "Ngày công lao động", "Workdays contributed", "workdays"),
    ("money_contributed", "Tiền đóng góp", "Money contributed", "million_vnd"),
    ("people_reached", "Người dân được tuyên truyền chủ trương, chính sách", "People reached with policy",
     "people_reached"),
    ("works_built", "Công trình được xây dựng, sửa chữa", "Works built or repaired", "count"),
)
