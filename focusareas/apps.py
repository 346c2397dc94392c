from django.apps import AppConfig


class FocusareasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "focusareas"
