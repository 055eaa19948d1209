"""The catalogue kept for a request follows every change of language inside it."""

from assessment import i18n


def test_forced_languages_nest_and_restore(app):
    template = app.jinja_env.from_string("{{ _('Save') }}")
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert template.render() == "Opslaan"
        with i18n.force_language("fr"):
            assert template.render() == "Enregistrer"
            with i18n.force_language("de"):
                assert template.render() == "Speichern"
            assert template.render() == "Enregistrer"
        assert template.render() == "Opslaan"
        i18n.use_page_language("es")
        assert template.render() == "Guardar"


def test_without_an_app_everything_stays_english():
    with i18n.force_language("nl"):
        assert i18n.translations().gettext("Save") == "Save"
