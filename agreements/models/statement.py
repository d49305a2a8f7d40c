"""The wording of the PK statement (pernyataan), as data: KPU changes it between years and
between kinds of PK, and an office signs the wording of its year.

A template covers single-signatory PKs (a Ketua alone: kinds a, d, f) or pairs (every other
kind, Subbagian included) over a range of years. Edits never change a version a PK was signed
with: the admin saves them as a new version, and a signed document keeps the version it was
signed with (SignedDocument.statement_template).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignatureStyle(models.TextChoices):
    TITLE = "title", _("Pihak Pertama, / nama")
    UPPER = "upper", _("PIHAK PERTAMA / nama")


class StatementTemplateQuerySet(models.QuerySet):
    def for_pk(self, year: int, single: bool):
        """The newest version that covers `year` for this kind of PK, or None."""
        return (
            self.filter(single=single, year_from__lte=year)
            .filter(models.Q(year_to__isnull=True) | models.Q(year_to__gte=year))
            .order_by("-year_from", "-version")
            .first()
        )


class StatementTemplate(models.Model):
    name = models.CharField(_("nama"), max_length=120)
    single = models.BooleanField(
        _("satu penanda tangan"),
        help_text=_("PK Ketua (jenis a, d, f); selain itu PK dua pihak, termasuk Subbagian."),
    )
    year_from = models.PositiveSmallIntegerField(_("berlaku mulai tahun"))
    year_to = models.PositiveSmallIntegerField(_("berlaku sampai tahun"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("versi"), default=1, editable=False)
    opening = models.TextField(_("pembukaan"))
    pihak_pertama_role = models.TextField(
        _("keterangan Pihak Pertama"), blank=True, help_text=_("Satu baris per baris cetak.")
    )
    pihak_kedua_role = models.TextField(
        _("keterangan Pihak Kedua"), blank=True, help_text=_("Satu baris per baris cetak.")
    )
    commitment = models.TextField(
        _("janji kinerja"), help_text=_("Pisahkan paragraf dengan baris kosong.")
    )
    supervision = models.TextField(_("supervisi Pihak Kedua"), blank=True)
    closing = models.TextField(
        _("penutup"), blank=True, help_text=_("Pisahkan paragraf dengan baris kosong.")
    )
    signature_style = models.CharField(
        _("gaya blok tanda tangan"),
        max_length=8,
        choices=SignatureStyle.choices,
        default=SignatureStyle.TITLE,
    )
    names_in_brackets = models.BooleanField(_("nama dalam kurung"), default=False)
    lampiran_subtitle = models.BooleanField(
        _("subjudul lampiran"),
        default=False,
        help_text=_("Cetak nama unit dengan huruf besar di bawah judul lampiran."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StatementTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("templat pernyataan")
        verbose_name_plural = _("templat pernyataan")
        ordering = ["-year_from", "single", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="statement_template_name_version"
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_used(self) -> bool:
        """A signed document keeps this version: it may no longer change."""
        return self.pk is not None and self.signed_documents.exists()

    def wording(self) -> dict:
        """The texts as the document prints them: lists of paragraphs and of lines."""

        def paragraphs(text):
            return [
                " ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()
            ]

        def lines(text):
            return [line.strip() for line in text.splitlines() if line.strip()]

        return {
            "template": f"{self.name} v{self.version}",
            "opening": " ".join(self.opening.split()),
            "pihak_pertama_role": lines(self.pihak_pertama_role),
            "pihak_kedua_role": lines(self.pihak_kedua_role),
            "commitment": paragraphs(self.commitment),
            "supervision": paragraphs(self.supervision),
            "closing": paragraphs(self.closing),
            "signature_upper": self.signature_style == SignatureStyle.UPPER,
            "names_in_brackets": self.names_in_brackets,
            "lampiran_subtitle": self.lampiran_subtitle,
        }
