# No models: this app holds the roles, sign-in pages and their post_migrate hook (see apps.py).
