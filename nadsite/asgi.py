import os

from django.core.asgi import get_asgi_application

from nadsite.serving import (
    freeze_loaded_objects,
    require_secret_key,
    require_shared_state,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nadsite.settings")

application = get_asgi_application()
require_secret_key()
require_shared_state()
freeze_loaded_objects()
