from django.contrib import admin

from submissions.models import Compilation, CompilationCalendar, Dipa, Reminder, Submission


@admin.register(Dipa)
class DipaAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "number", "ratified_on")
    list_filter = ("year",)
    search_fields = ("unit__short_name", "unit__code", "number")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)
    show_full_result_count = False


@admin.register(CompilationCalendar)
class CompilationCalendarAdmin(admin.ModelAdmin):
    list_display = ("year", "compile_by")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "unit",
        "year",
        "deadline_kind",
        "offset_days",
        "escalated",
        "sent_at",
        "attempts",
    )
    list_filter = ("year", "deadline_kind", "escalated")
    search_fields = ("unit__short_name", "unit__code")
    list_select_related = ("unit",)
    readonly_fields = [f.name for f in Reminder._meta.fields]
    show_full_result_count = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("agreement", "channel", "destination", "submitted_at", "decision")
    list_filter = ("channel", "decision")
    search_fields = ("agreement__unit__short_name", "agreement__unit__code")
    list_select_related = ("agreement__unit", "destination")
    raw_id_fields = ("agreement", "destination", "softcopy", "compilation")
    show_full_result_count = False


@admin.register(Compilation)
class CompilationAdmin(admin.ModelAdmin):
    list_display = ("province", "year", "status", "progress", "total", "submitted_at")
    list_filter = ("year", "status")
    list_select_related = ("province",)
    raw_id_fields = ("province",)
