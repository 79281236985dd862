from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "workshop.learning"
    label = "learning"
    verbose_name = "Learning loop"
