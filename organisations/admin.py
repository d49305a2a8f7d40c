from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from organisations.models import Assignment, Membership, Official, Position, Unit, UnitKind, User


class ProvinceFilter(admin.SimpleListFilter):
    """Lists the 38 provinces only (a plain FK filter would list all 3,300 units)."""

    title = _("provinsi")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return Unit.objects.filter(kind=UnitKind.PROVINSI).values_list("pk", "short_name")

    def queryset(self, request, queryset):
        if self.value():
            field = "unit__province_id" if queryset.model is not Unit else "province_id"
            return queryset.filter(**{field: self.value()})
        return queryset


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("short_name", "code", "kind", "province", "time_zone", "is_active")
    list_filter = ("kind", ProvinceFilter, "time_zone", "is_active")
    search_fields = ("code", "short_name", "name")
    list_select_related = ("province",)
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth", "province", "satker")
    show_full_result_count = False
    list_per_page = 50
    inlines = [PositionInline]
    fieldsets = (
        (None, {"fields": ("code", "kind", "name", "short_name", "parent", "order", "is_active")}),
        (
            _("Kop surat dan dokumen"),
            {
                "fields": (
                    "address",
                    "telephone",
                    "email",
                    "website",
                    "city",
                    "logo",
                    "paper_size",
                    "time_zone",
                )
            },
        ),
        (
            _("Letak dalam hierarki"),
            {"fields": ("region_code", "path", "depth", "province", "satker")},
        ),
    )


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ("position",)


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ("name", "nip", "email")
    # The e-mail of record receives the signing-key enrolment links: it changes only through a
    # request the superior office approves (organisations.bindings), never by one person here.
    readonly_fields = ("email",)
    search_fields = ("name", "nip")
    show_full_result_count = False
    inlines = [AssignmentInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("title", "short_title", "kind", "unit")
    list_filter = ("kind", ProvinceFilter)
    search_fields = ("title", "short_title", "unit__code", "unit__short_name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    show_full_result_count = False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("official", "position", "acting", "start_date", "end_date")
    list_filter = ("acting", "position__kind")
    search_fields = ("official__name", "official__nip", "position__title")
    list_select_related = ("official", "position")
    autocomplete_fields = ("official", "position")
    date_hierarchy = "start_date"
    show_full_result_count = False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "official", "is_active")
    list_filter = ("role", "is_active", ProvinceFilter)
    search_fields = ("user__username", "user__first_name", "unit__short_name", "unit__code")
    list_select_related = ("user", "unit", "official")
    autocomplete_fields = ("user", "unit", "official")
    show_full_result_count = False


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("unit", "official")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    show_full_result_count = False
