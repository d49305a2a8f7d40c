from django.contrib import admin

from agreements.models import Agreement, BudgetLine


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read-mostly: PKs are drafted on the site, where the rules and the audit apply."""

    list_display = ("unit", "year", "version", "status", "pk_kind", "updated_at")
    list_filter = ("year", "status", "pk_kind")
    search_fields = ("unit__code", "unit__short_name", "pihak_pertama_name")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "created_by", "pihak_pertama_official", "pihak_kedua_official")
    readonly_fields = ("lock_version", "created_at", "updated_at")
    inlines = [BudgetLineInline]
    show_full_result_count = False
