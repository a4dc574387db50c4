"""The default checklist topics and quotas a province starts with (data, editable afterwards)."""

from __future__ import annotations

# (code, Vietnamese, English): what a visit reports on.
DEFAULT_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("security", "Tình hình an ninh, trật tự", "Security and public order"),
    ("living", "Đời sống nhân dân", "People's living conditions"),
    ("production", "Sản xuất, kinh tế hộ", "Production and household economy"),
    ("opinion", "Tư tưởng, tâm trạng nhân dân", "Public opinion and mood"),
    ("policy", "Thực hiện chủ trương, chính sách, pháp luật", "Implementation of policies and law"),
    ("infrastructure", "Hạ tầng, giao thông, môi trường", "Infrastructure, roads and environment"),
    ("organisations", "Hoạt động của chi bộ, đoàn thể", "Work of the party cell and mass organisations"),
)

# (level of the cadre's unit, employment type or "" for all) → field days, visits, meeting share (%)
DEFAULT_QUOTAS: tuple[tuple[str, str, int, int, int], ...] = (
    ("commune", "", 3, 5, 80),
    ("province", "", 0, 2, 80),
)
