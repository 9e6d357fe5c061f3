"""Pages of the filing stage: the liaison's inbox, publication, transfer and the
public notices."""
