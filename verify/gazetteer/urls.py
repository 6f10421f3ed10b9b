app_name = "gazetteer"
urlpatterns: list = []
