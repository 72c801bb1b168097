import os

from django.core.wsgi import get_wsgi_application

from nadsite.serving import (
    freeze_loaded_objects,
    require_secret_key,
    require_shared_state,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nadsite.settings")

application = get_wsgi_application()
require_secret_key()
require_shared_state()
freeze_loaded_objects()
