from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    """The owner's pages: home, the questionnaire with autosave, review and submit.

    It sits above the action plan and the continuity plan, so a question can
    say what the owner has done since last time and what the continuity plan
    records, while ``assessments`` below keeps only the data and its rules.
    """

    name = "questionnaire"
    verbose_name = "Questionnaire"
