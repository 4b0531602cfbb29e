def test_public_index_lists_published_conference(client, make_conference):
    make_conference(title="International conference on regional security in Asia")
    response = client.get("/")
    assert response.status_code == 200
    assert "International conference on regional security in Asia" in response.text


def test_management_requires_login(client):
    response = client.get("/manage/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_organizer_signs_in_and_reaches_management(organizer_client):
    assert organizer_client.get("/manage/").status_code == 200
