from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agreements.documents.content import document_context, sample_context
from agreements.models import Agreement, BudgetLine, StatementTemplate


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


@admin.register(StatementTemplate)
class StatementTemplateAdmin(admin.ModelAdmin):
    """KPU edits the statement wording here. A version a signed PK keeps is never changed:
    saving it makes the next version (the PKs signed with it keep theirs). Each template has
    a preview of the statement with sample data, or with a chosen PK's (?pk=<id>)."""

    list_display = ("name", "version", "single", "year_from", "year_to", "preview_link")
    list_filter = ("single", "year_from")
    readonly_fields = ("version", "created_at", "preview_link")

    @admin.display(description=_("pratinjau"))
    def preview_link(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:agreements_statementtemplate_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("Pratinjau pernyataan"))

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path(
                "<int:template_id>/pratinjau/",
                preview,
                name="agreements_statementtemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, template_id):
        """The statement as this version prints it, with sample data or a chosen PK's."""
        template = get_object_or_404(StatementTemplate, pk=template_id)
        agreement_id = request.GET.get("pk", "")
        if agreement_id.isdigit():
            agreement = get_object_or_404(
                Agreement.objects.select_related("unit__parent", "unit__satker"),
                pk=agreement_id,
            )
            context = document_context(agreement, wording=template.wording(), with_lampiran=False)
        else:
            context = sample_context(template.wording(), single=template.single)
        with translation.override("id"):
            html = render_to_string(
                "documents/pk.html", {"doc": context, "part": "pernyataan"}, request=request
            )
        return HttpResponse(html)

    def save_model(self, request, obj, form, change):
        if change and StatementTemplate.objects.get(pk=obj.pk).is_used:
            obj.pk = None
            obj.version = (
                StatementTemplate.objects.filter(name=obj.name).order_by("-version").first()
            ).version + 1
            self.message_user(
                request,
                _(
                    "Versi ini sudah dipakai PK yang ditandatangani: perubahan disimpan sebagai "
                    "versi %(version)s."
                )
                % {"version": obj.version},
                messages.WARNING,
            )
        super().save_model(request, obj, form, change)
