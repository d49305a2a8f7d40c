"""URLs of the KPU Provinsi's compilation pages, mounted under "kompilasi/" in the
"submissions" namespace by submissions/urls/__init__.py:
reverse("submissions:province", args=["64", 2027]) -> /kompilasi/64/2027/. The fixed
prefixes come first: "progres" and "hasil" are no provinces.
"""

from django.urls import path

from submissions.views import province

urlpatterns = [
    path("", province.province_home, name="province_home"),
    path("progres/<int:pk>/", province.compilation_progress, name="compilation_progress"),
    path("hasil/<int:pk>/sampaikan/", province.compilation_submit, name="compilation_submit"),
    path("hasil/<int:pk>/baca.pdf", province.compilation_pdf, name="compilation_pdf"),
    path("hasil/<int:pk>/asli.zip", province.compilation_zip, name="compilation_zip"),
    path("<str:province_code>/<int:year>/", province.province_page, name="province"),
    path("<str:province_code>/<int:year>/kompilasi/", province.compile_view, name="compile"),
]
