"""The phone pages write their radio buttons and checkboxes themselves ({% choice_input %}, cheaper than Django's
widget templates for every option), and the markup is exactly what the widgets would have written."""

from django.template import Context, Template

from participants.forms import AfterForm, FeelingsForm, MemoriesForm, PersonalityForm, ValuesForm
from workshop.participants.instruments import instrument
from workshop.templatetags.choice_inputs import choice_input


def _forms():
    feelings = {"choices": ["hurt", "joy", "anger"], "person": "Dana", "language": "en"}
    return [
        PersonalityForm(None, instrument=instrument("mini_ipip"), page=2, language="en", initial_answers={"6": "3"}),
        PersonalityForm({"item_1": "9"}, instrument=instrument("tipi"), page=1, language="ko", initial_answers={}),
        ValuesForm(None, language="en", initial={"values": ["benevolence", "security"]}),
        MemoriesForm({"events_1": ["excluded"]}, prompts=["A time you were left out"], language="en"),
        FeelingsForm({"labels": ["hurt"], "intensity": "3"}, **feelings),
        AfterForm(None, initial={"share_reflection": "share"}, **feelings),
    ]


def test_every_option_is_written_as_the_widget_writes_it():
    compared = 0
    for form in _forms():
        form.is_bound and form.is_valid()
        for field in form:
            for option in field.subwidgets if hasattr(field.field.widget, "input_type") else []:
                if field.field.widget.input_type in ("radio", "checkbox"):
                    assert str(choice_input(option)) == str(option.tag()), (field.name, option.data)
                    compared += 1
    assert compared > 60


def test_the_field_template_uses_it_and_keeps_the_labels():
    form = ValuesForm(None, language="en", initial={"values": ["benevolence"]})
    html = Template('{% include "participants/_field.html" with field=form.values %}').render(Context({"form": form}))
    assert str(form["values"].subwidgets[0].tag()) in html
    assert 'checked' in html and "<legend>" in html
