from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "gandan.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, xếp loại"
