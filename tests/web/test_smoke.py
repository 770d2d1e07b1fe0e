from tests import factories as f


def test_home_shows_the_sign_in_ways_to_a_stranger(client):
    page = client.get("/").get_data(as_text=True)
    assert "Sign in with a code a facilitator gave you on paper" in page


def test_facilitator_home_lists_their_space_tasks(app, client):
    sam = f.person("Sam")
    commission = f.space("Porthaven Poverty Truth Commission")
    f.member(sam, commission, "facilitator")
    f.sign_in(client, sam)
    page = client.get("/").get_data(as_text=True)
    assert "Add someone to Porthaven Poverty Truth Commission who has no email" in page
