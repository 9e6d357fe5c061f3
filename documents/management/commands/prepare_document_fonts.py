"""manage.py prepare_document_fonts: make the document copies of the
configured faces (documents.fonts) under DOCUMENT_FONT_CACHE_DIR, about 15 s
of CPU a face, once per machine (again only when a font file or the recipe
changes). Rendering never makes them; without them documents are rendered
from the installed faces, the same to 1/1000 em but slower. Restart the
workers after."""

import time

from config.commands import ProjectCommand
from documents import rendering


class Command(ProjectCommand):
    help = "Prepare the document copies of the font faces (about 40 s, once per machine)."
    requires_migrated_database = False

    def handle(self, *args, **options):
        start = time.process_time()
        faces = rendering.document_faces(make=True)
        for face, prepared in faces.items():
            self.stdout.write(f"{face}: {prepared.family} -> {prepared.path}")
        missing = sorted(set(rendering.DOCUMENT_COPY_FACES) - set(faces))
        if missing:
            self.stdout.write(f"not prepared (no installed face or an error): {', '.join(missing)}")
        self.stdout.write(f"{time.process_time() - start:.1f} s CPU")
