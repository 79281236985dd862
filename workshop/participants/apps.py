from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    # The participant domain lives under workshop/; the label stays "participants" so the tables and the
    # migration history keep their names.
    name = "workshop.participants"
    label = "participants"
    verbose_name = "Participants"
