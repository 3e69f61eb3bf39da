from django.urls import path

from partnerships.views import data, downloads, figures, pages, panel, search
from partnerships.views import map as map_views

app_name = "partnerships"

urlpatterns = [
    path("", map_views.map_page, name="map"),
    path("map/councils.geojson", map_views.councils_layer, name="map-councils-layer"),
    path("map/counts.json", map_views.map_counts, name="map-counts"),
    path("councils/<str:gss_code>/panel/", panel.council_panel, name="council-panel"),
    path("search/", search.search, name="search"),
    path("partnerships/<slug:slug>/map.json", map_views.partnership_map, name="partnership-map"),
    path("partnerships/", pages.partnership_list, name="partnership-list"),
    path("partnerships/download.csv", downloads.partnerships_csv, name="partnerships-csv"),
    path("partnerships/download.xlsx", downloads.partnerships_xlsx, name="partnerships-xlsx"),
    path("savings/download.csv", downloads.savings_csv, name="savings-csv"),
    # Each CSV's About text: what it holds, its period, source, licence and attribution.
    path(
        "partnerships/download-about.txt",
        downloads.partnerships_csv,
        {"about": True},
        name="partnerships-csv-about",
    ),
    path(
        "savings/download-about.txt",
        downloads.savings_csv,
        {"about": True},
        name="savings-csv-about",
    ),
    path("partnerships/<slug:slug>/", pages.partnership_detail, name="partnership-detail"),
    path("councils/", pages.council_list, name="council-list"),
    path("councils/<str:gss_code>/", pages.council_detail, name="council-detail"),
    path("about/data/", pages.about_data, name="about-data"),
    path("figures/", figures.figures_page, name="figures"),
    path("figures/<slug:table>.csv", figures.figures_csv, name="figures-csv"),
    path(
        "figures/<slug:table>-about.txt",
        figures.figures_csv,
        {"about": True},
        name="figures-csv-about",
    ),
    path("data/", data.data_api, name="data-api"),
]
