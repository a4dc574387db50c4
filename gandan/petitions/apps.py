from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "gandan.petitions"
    label = "petitions"
    verbose_name = "Phản ánh, kiến nghị"
