"""The partnerships app's API: viewsets for the project's router, and the map layers."""

from django.urls import path

from partnerships.api import views

# (prefix, viewset, basename), registered by sharedmap/api_router.py.
ROUTES = [
    ("councils", views.CouncilViewSet, "council"),
    ("regions", views.RegionViewSet, "region"),
    ("public-bodies", views.PublicBodyViewSet, "public-body"),
    ("categories", views.CategoryViewSet, "category"),
    ("partnerships", views.PartnershipViewSet, "partnership"),
    ("savings", views.SavingsRecordViewSet, "savings-record"),
]

urlpatterns = [
    path("councils.geojson", views.CouncilsLayerView.as_view(), name="councils-geojson"),
    path("regions.geojson", views.RegionsLayerView.as_view(), name="regions-geojson"),
]
