"""Use cases of the investigation, the expert review and the collective
decision."""
