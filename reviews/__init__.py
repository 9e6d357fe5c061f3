"""The former reviews app, split by stage into investigation, panel,
deliberation and filing. It keeps its migrations 0001-0007 only: they built
the reviews_* tables the stage apps' models still use, and a database made
before the split migrates through them."""
