from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Holds only the historical migrations of the former reviews app, split
    into investigation, panel, deliberation and filing; their models keep the
    reviews_* tables (reviews 0007 hands them over, state only)."""

    name = "reviews"
