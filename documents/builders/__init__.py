"""The context builders of every kind of document, one module per stage.
documents.registry imports them all on first use; importing one of them
does not import the others."""
