from django.test import RequestFactory

from verify.core.listing import paged


def test_a_page_keeps_the_other_parameters_for_its_links():
    request = RequestFactory().get("/x/", {"q": "Ariha & Idlib", "status": "verified", "page": "2"})

    context = paged(request, list(range(30)), per_page=10, extra="kept")

    assert list(context["page"].object_list) == list(range(10, 20))
    assert context["querystring"] == "q=Ariha+%26+Idlib&status=verified"
    assert context["extra"] == "kept"


def test_out_of_range_and_junk_page_numbers_give_a_page_not_an_error():
    factory = RequestFactory()
    assert paged(factory.get("/x/", {"page": "999"}), list(range(30)), per_page=10)["page"].number == 3
    assert paged(factory.get("/x/", {"page": "junk"}), list(range(30)), per_page=10)["page"].number == 1
