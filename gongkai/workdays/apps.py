from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "gongkai.workdays"
    verbose_name = "工作日"

    def ready(self) -> None:
        from django.core.signals import request_started

        from .arithmetic import mark_check_due

        # Each request compares the calendar's revision token once before it computes a date,
        # so a year loaded in another process is in force from the next request on.
        request_started.connect(mark_check_due, dispatch_uid="workdays_mark_check_due")
