from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "gandan.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self) -> None:
        from gandan.evaluation import merges
        from gandan.org.signals import unit_merged

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="evaluation.on_unit_merged")
