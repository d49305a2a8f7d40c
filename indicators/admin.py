from django.contrib import admin

from indicators.models import IKUDesignation, Indicator, Kegiatan, Programme, SasaranStrategis


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Kegiatan)
class KegiatanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "programme")
    search_fields = ("code", "name")
    list_filter = ("programme",)
    list_select_related = ("programme",)


@admin.register(SasaranStrategis)
class SasaranStrategisAdmin(admin.ModelAdmin):
    search_fields = ("text",)


class IKUInline(admin.TabularInline):
    model = IKUDesignation
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "unit_of_measure", "higher_is_better")
    list_filter = ("kind", "higher_is_better", "iku__level")
    search_fields = ("text",)
    autocomplete_fields = ("sasaran", "cascades_from")
    inlines = [IKUInline]
    show_full_result_count = False


@admin.register(IKUDesignation)
class IKUDesignationAdmin(admin.ModelAdmin):
    list_display = ("indicator", "level", "first_year", "last_year", "national_target")
    list_filter = ("level", "first_year")
    search_fields = ("indicator__text",)
    autocomplete_fields = ("indicator",)
    list_select_related = ("indicator",)
