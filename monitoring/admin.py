from django.contrib import admin

from monitoring.models import CapaianRule, QuarterEvent, Realisation, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    """KPU sets the closing date of each quarter here (without a row: the 15th after it)."""

    list_display = ("year", "quarter", "closes_on", "updated_at")
    list_filter = ("year",)
    ordering = ("-year", "quarter")


@admin.register(CapaianRule)
class CapaianRuleAdmin(admin.ModelAdmin):
    """One row: the cap and the category thresholds of every capaian on the site."""

    list_display = ("__str__", "cap", "achieved_from", "nearly_from", "updated_at")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CapaianRule.objects.exists()


@admin.register(Realisation)
class RealisationAdmin(admin.ModelAdmin):
    """Read-only: realisations are entered on the quarter form, where the rules apply."""

    list_display = ("agreement", "quarter", "row", "value", "grade", "status", "updated_at")
    list_filter = ("quarter", "status", "agreement__year")
    search_fields = ("agreement__unit__code", "agreement__unit__short_name", "row__text")
    list_select_related = ("agreement__unit", "row")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuarterEvent)
class QuarterEventAdmin(admin.ModelAdmin):
    list_display = ("agreement", "quarter", "action", "to_status", "actor", "at")
    list_filter = ("quarter", "action")
    list_select_related = ("agreement__unit", "actor")
    readonly_fields = [f.name for f in QuarterEvent._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
