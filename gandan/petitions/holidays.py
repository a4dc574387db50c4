"""Vietnam's public holidays for public servants, 2025–2027, as data (Labour Code 2019, art. 112):
New Year, five days of Tết, the Hùng Kings' day (10th of the 3rd lunar month), 30 April, 1 May and
two days of National Day. Only the weekdays off are listed (weekends are off anyway), with the
compensatory day when a holiday falls on a weekend and the Saturdays worked in exchange for a
bridge day. 2025 follows the official announcements; 2026 and 2027 are the expected dates, which a
province corrects in its configuration (a province row with "working day" cancels a default).
"""

from __future__ import annotations

import datetime as dt

D = dt.date

DEFAULT_HOLIDAYS: tuple[tuple[dt.date, str], ...] = (
    # 2025
    (D(2025, 1, 1), "Tết Dương lịch"),
    *((D(2025, 1, day), "Tết Nguyên đán Ất Tỵ") for day in (27, 28, 29, 30, 31)),
    (D(2025, 4, 7), "Giỗ Tổ Hùng Vương"),
    (D(2025, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2025, 5, 1), "Ngày Quốc tế Lao động"),
    (D(2025, 5, 2), "Nghỉ hoán đổi (làm bù thứ Bảy 26/4)"),
    (D(2025, 9, 1), "Quốc khánh"),
    (D(2025, 9, 2), "Quốc khánh"),
    # 2026 (expected)
    (D(2026, 1, 1), "Tết Dương lịch"),
    *((D(2026, 2, day), "Tết Nguyên đán Bính Ngọ") for day in (16, 17, 18, 19, 20)),
    (D(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương (26/4 là Chủ nhật)"),
    (D(2026, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2026, 5, 1), "Ngày Quốc tế Lao động"),
    (D(2026, 9, 1), "Quốc khánh"),
    (D(2026, 9, 2), "Quốc khánh"),
    # 2027 (expected)
    (D(2027, 1, 1), "Tết Dương lịch"),
    *((D(2027, 2, day), "Tết Nguyên đán Đinh Mùi") for day in (4, 5, 8, 9, 10)),
    (D(2027, 4, 16), "Giỗ Tổ Hùng Vương"),
    (D(2027, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2027, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động (1/5 là thứ Bảy)"),
    (D(2027, 9, 2), "Quốc khánh"),
    (D(2027, 9, 3), "Quốc khánh"),
)

# Saturdays worked in exchange for a bridge day.
DEFAULT_EXTRA_WORKDAYS: tuple[tuple[dt.date, str], ...] = (
    (D(2025, 4, 26), "Làm bù cho ngày nghỉ 2/5/2025"),
)
