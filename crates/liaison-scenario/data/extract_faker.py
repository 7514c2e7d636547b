"""Rebuilds names.tsv and places.tsv from the PyPI package `faker` (MIT), deterministically.

    python -m venv venv && venv/bin/pip install faker==40.54.0 && venv/bin/python extract_faker.py

Reads the name and place lists of the locales the scenario generator uses straight from faker's providers
(no random draws), keeps at most LIMIT entries of each list in faker's order, drops entries with characters
that are not letters, marks, spaces, hyphens, apostrophes or dots, and composes full street names where a
locale lists only the name part ("Ленина" -> "ул. Ленина"). Locales without an address provider get their
places from PLACES_AUTHORED below (common city and street names, written for this project).
"""

import importlib
import unicodedata

LIMIT = 300

# locale of the person names -> (locale of the address provider or None, how to make street names)
LOCALES = {
    "ru_RU": ("ru_RU", "ru"),
    "ar_AA": (None, None),
    "de_DE": ("de_DE", "de"),
    "el_GR": ("el_GR", "el"),
    "ka_GE": ("ka_GE", "ka"),
    "zh_CN": ("zh_CN", "zh"),
    "he_IL": ("he_IL", "he"),
    "ko_KR": ("ko_KR", "ko"),
    "hy_AM": ("hy_AM", "hy"),
    "fr_FR": ("fr_FR", "fr"),
    "uk_UA": ("uk_UA", "uk"),
    "fa_IR": ("fa_IR", "fa"),
    "es_ES": ("es_ES", "es"),
    "bg_BG": (None, None),
    "tr_TR": (None, None),
    "pl_PL": ("pl_PL", "pl"),
    "it_IT": ("it_IT", "it"),
    "zh_TW": ("zh_TW", "zh"),
    "ar_DZ": ("ar_DZ", "dz"),
    "sv_SE": ("sv_SE", "sv"),
    "nl_NL": ("nl_NL", "nl"),
    "pt_BR": ("pt_BR", "pt"),
    "ro_RO": ("ro_RO", "ro"),
    "cs_CZ": ("cs_CZ", "cs"),
    "hu_HU": ("hu_HU", "hu"),
    "mk_MK": ("mk_MK", "mk"),
}

# Street names built from a person's family name where the address provider has no street list.
STREET_FROM_NAME = {
    "de": "{}straße",
    "el": "οδός {}",
    "fr": "rue {}",
    "es": "calle de {}",
    "pl": "ul. {}",
    "it": "via {}",
    "sv": "{}gatan",
    "nl": "{}straat",
    "pt": "rua {}",
    "ro": "strada {}",
    "cs": "{}ova",
    "hu": "{} utca",
    "fa": "خیابان {}",
    "uk": "вул. {}",
    "zh": "{}路",
}

PLACES_AUTHORED = {
    "ar_AA": {
        "city": ["عمّان", "إربد", "الزرقاء", "العقبة", "السلط", "مادبا", "الكرك", "جرش", "عجلون", "معان",
                 "الرمثا", "المفرق", "الطفيلة", "الفحيص"],
        "street": ["شارع الجامعة", "شارع المدينة المنورة", "شارع الملك حسين", "شارع الملكة رانيا",
                   "شارع وصفي التل", "شارع الأمير محمد", "شارع الرينبو", "شارع مكة", "شارع الحرية",
                   "شارع الاستقلال", "شارع فلسطين", "شارع الهاشمي", "شارع الأردن", "شارع الشهيد"],
    },
    "bg_BG": {
        "city": ["София", "Пловдив", "Варна", "Бургас", "Русе", "Стара Загора", "Плевен", "Сливен",
                 "Добрич", "Шумен", "Перник", "Хасково", "Ямбол", "Пазарджик", "Благоевград", "Велико Търново"],
        "street": ["ул. Витоша", "ул. Граф Игнатиев", "бул. Васил Левски", "ул. Раковски", "бул. България",
                   "ул. Шипка", "ул. Иван Вазов", "бул. Христо Ботев", "ул. Цар Симеон", "ул. Оборище",
                   "ул. Солунска", "бул. Цариградско шосе", "ул. Алабин", "ул. Пиротска"],
    },
    "tr_TR": {
        "city": ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Adana", "Gaziantep",
                 "Kayseri", "Mersin", "Eskişehir", "Diyarbakır", "Samsun", "Trabzon", "Malatya", "Denizli"],
        "street": ["Atatürk Caddesi", "İstiklal Caddesi", "Cumhuriyet Caddesi", "Gazi Mustafa Kemal Bulvarı",
                   "İnönü Caddesi", "Fevzi Çakmak Sokak", "Bağdat Caddesi", "Mithatpaşa Caddesi",
                   "Kıbrıs Şehitleri Caddesi", "Ziya Gökalp Caddesi", "Hürriyet Caddesi", "Menekşe Sokak",
                   "Lale Sokak", "Gül Sokak"],
    },
}


def clean(values):
    out = []
    seen = set()
    for value in values:
        value = " ".join(str(value).split())
        if not value or value in seen:
            continue
        ok = all(
            unicodedata.category(c)[0] in "LM" or c in " -'." for c in value
        )
        if ok:
            seen.add(value)
            out.append(value)
        if len(out) >= LIMIT:
            break
    return out


def feminine_pl(name):
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if name.endswith(male):
            return name[: -len(male)] + female
    return name


def first(provider, *names):
    for name in names:
        value = getattr(provider, name, None)
        if value:
            return list(value)
    return []


def main():
    names_rows = []
    places_rows = []
    for locale, (address_locale, street_style) in LOCALES.items():
        person = importlib.import_module(f"faker.providers.person.{locale}").Provider
        lists = {
            "given_f": first(person, "first_names_female", "first_names"),
            "given_m": first(person, "first_names_male", "first_names"),
            "family_f": first(person, "last_names_female", "last_names"),
            "family_m": first(person, "last_names_male", "last_names"),
            "patronymic_f": first(person, "middle_names_female"),
            "patronymic_m": first(person, "middle_names_male"),
        }
        if locale == "pl_PL":
            # faker keeps Polish family names in a male and a unisex list and derives female forms
            unisex = list(person.unisex_last_names)
            male = list(person.male_last_names)
            lists["family_m"] = [n for pair in zip(male, unisex) for n in pair]
            lists["family_f"] = [n for pair in zip([feminine_pl(n) for n in male], unisex) for n in pair]
        for kind, values in lists.items():
            for value in clean(values):
                names_rows.append((locale, kind, value))
        if address_locale is None:
            places = PLACES_AUTHORED[locale]
        else:
            address = importlib.import_module(f"faker.providers.address.{address_locale}").Provider
            cities = first(address, "city_names", "cities", "real_city_names", "states", "bairros")
            if street_style == "ko":
                cities = first(address, "metropolitan_cities") + cities
            if street_style == "fr":
                cities = first(address, "departments")
                cities = [c[1] if isinstance(c, tuple) else c for c in cities]
            streets = first(address, "street_titles", "streets", "road_names")
            if street_style == "ru":
                streets = ["ул. " + s for s in streets]
            elif street_style == "ka":
                streets = [s + " ქ." for s in streets]
            elif street_style == "hy":
                streets = [s + " փողոց" for s in streets]
            elif street_style == "ko":
                streets = [s + "로" for s in streets]
            elif street_style == "zh":
                streets = [d + "路" for d in first(address, "districts", "street_names")]
            elif street_style == "dz":
                streets = ["شارع " + c for c in first(address, "wilayas")]
            elif streets:
                pass
            else:
                family = clean(lists["family_m"])[:60]
                streets = [STREET_FROM_NAME[street_style].format(f) for f in family]
            places = {"city": cities, "street": streets}
        for kind in ("city", "street"):
            for value in clean(places[kind]):
                places_rows.append((locale, kind, value))
    with open("names.tsv", "w", encoding="utf-8") as f:
        f.write("locale\tlist\tvalue\n")
        for row in names_rows:
            f.write("\t".join(row) + "\n")
    with open("places.tsv", "w", encoding="utf-8") as f:
        f.write("locale\tlist\tvalue\n")
        for row in places_rows:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
