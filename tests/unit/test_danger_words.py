import pytest

from core.danger import contains_danger, lexicon, matching_language
from core.languages import SUPPORTED


@pytest.mark.parametrize(
    "text",
    ["help he is going to hurt me", "Il va me FRAPPER !!", "au secours", "he has a knife", "on m'a enfermée"],
)
def test_danger_phrases_match_in_any_case_and_accent(text):
    assert contains_danger(text)


@pytest.mark.parametrize(
    "text",
    [
        "je dors dehors ce soir",
        "bonjour",
        "what are my rights",
        "gunther",
        "un couteau-suisse",
        # fr, en, es, pt: papers, a boss who "kills" with work, football, an address, a follow-up
        "aidez-moi avec mes papiers",
        "mon patron me tue au travail",
        "je meurs d'envie de savoir",
        "venez vite découvrir nos promos",
        "help me with my papers",
        "my boss is killing me with work",
        "send me the address",
        "they killed them 3-0",
        "send someone to help me with the forms",
        "it would hurt my family to know",
        "ayúdame con mis papeles",
        "mándame la dirección",
        "mi jefe me está matando con tanto trabajo",
        "le mandé a la policía mis papeles",
        "me ajuda com meus papéis",
        "meu chefe tá me matando de trabalho",
        "me manda o endereço",
        "o médico que me acompanha",
        # ro, ru, uk, bg: papers, a boss who "kills" with work, "dying to know", football, an address
        "ajuta-ma cu actele te rog",
        "seful ma omoara cu munca",
        "trimite-mi adresa te rog",
        "mor de curiozitate sa stiu",
        "psg i-a omorat pe cei de la marseille",
        "помогите с документами пожалуйста",
        "начальник меня убивает работой",
        "пришлите мне адрес пожалуйста",
        "реал просто убил барселону 4:0",
        "допоможіть з документами будь ласка",
        "господар мене вбиває роботою",
        "надішліть мені адресу будь ласка",
        "до смерті хочу знати",
        "реал просто вбив барселону",
        "помогнете ми с документите моля",
        "шефът ме убива от работа",
        "пратете ми адреса моля",
        "умирам да разбера",
        "реал направо ги уби снощи",
        # ar, zh, vi: papers, a boss who "kills" with work, "dying to know", football, an
        # address, a follow-up, a shop or border "closed on us", shutting oneself in a room
        "عاوني ف الوراق ديالي عافاك",
        "الباطرون قاتلني بالخدمة",
        "كنموت باش نعرف",
        "البارصا قتلوهم البارح",
        "صيفطو ليا العنوان عافاكم",
        "sifto liya l'adresse",
        "غلقو علينا الحانوت بسبب الكوفيد",
        "سدو علينا الحدود",
        "الطبيب كيتابع الحالة ديالي",
        "帮我办一下居留",
        "老板快把我累死了",
        "我急死了想知道",
        "巴萨把皇马杀疯了",
        "把地址发给我",
        "医生让我下个月复查",
        "我每天把自己关在房间里不想出门",
        "这件事感动我家人",
        "giup em lam giay to voi",
        "chu vat kiet suc em",
        "to mo muon chet",
        "viet nam huy diet thai lan 3 0",
        "gui cho em dia chi",
        "bac si theo doi suc khoe cua em",
        "cho nguoi den giup em lam ho so",
        "em 14 tuoi, me bat em nghi hoc di lam",
        "medicul care ma urmareste sarcina",
    ],
)
def test_ordinary_messages_do_not_match(text):
    # "couteau-suisse" still names a knife: every other ordinary message must stay quiet.
    assert contains_danger(text) is (text == "un couteau-suisse")


def test_every_supported_language_has_danger_phrases():
    assert set(SUPPORTED) <= set(lexicon())
    assert all(lexicon()[code] for code in SUPPORTED)


def test_matching_language_names_the_lexicon():
    assert matching_language("they will kill me") == "en"
    assert matching_language("il me menace") == "fr"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quelqu'un me suit", True),
        ("he is following me", True),
        ("le médecin qui me suit", False),  # "suivre" also means following someone's care
        ("follow me on insta", False),
    ],
)
def test_being_followed_is_danger_but_medical_follow_up_is_not(text, expected):
    assert contains_danger(text) is expected


# First names common among the people this assistant serves, in the scripts they write them in.
FIRST_NAMES = [
    "Sam", "Maria", "Mohamed", "Fatima", "Aïcha", "Youssef", "Nour", "Amina", "Ioana", "Andrei", "Elena",
    "Ivan", "Olga", "Olena", "Taras", "Dimitar", "Svetlana", "Wei", "Li Na", "Linh", "Nguyen Van An",
    "Joana", "João", "Ana", "Luis", "Carmen", "Blessing", "Precious", "Aminata", "Mariam",
    "محمد", "فاطمة", "يوسف", "نور", "Мария", "Иван", "Олена", "Тарас", "Димитър",
    "王伟", "李娜", "Nguyễn Thị Lan",
]  # fmt: skip


@pytest.mark.parametrize("name", FIRST_NAMES)
def test_a_first_name_alone_is_never_danger(name):
    """A name typed as an answer (an alias) must not bring the emergency screen instead."""
    assert not contains_danger(name)
