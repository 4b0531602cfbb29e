"""The demo programme's texts in Russian and Kazakh, beside the English in programme.py.

From the seed note verbale (shared/seeds/004): the names of CICA (СВМДА / АӨСШК), its
Secretariat (Секретариат СВМДА / АӨСШК Хатшылығы), the Think Tank Forum (Форум аналитических
центров СВМДА / АӨСШК-тің Талдау орталықтары форумы), the Shanghai Institutes for
International Studies (Шанхайский институт международных исследований / Шанхай халықаралық
зерттеулер институты) and the city (Нур-Султан / Нұр-Сұлтан). The Russian and Kazakh
nominative forms of the Forum's and the meeting's names, and every other text below, are our
translations of the English sources: a translator should review them before real use.
"""

from __future__ import annotations

from registration.signup import demo as sample
from registration.stored_text import Translations

SERIES: Translations = {
    "ru": {
        "name": "Форум аналитических центров СВМДА",
        "description": "Учреждён в марте 2014 года под руководством Шанхайского института "
        "международных исследований; с 2021 года — постоянно действующий институт в рамках "
        "механизма СВМДА.",
    },
    "kk": {
        "name": "АӨСШК-тің Талдау орталықтары форумы",
        "description": "2014 жылғы наурызда Шанхай халықаралық зерттеулер институтының "
        "басшылығымен құрылды; 2021 жылдан бастап АӨСШК тетігі аясындағы тұрақты институт.",
    },
}

# By conference slug.
CONFERENCES: dict[str, Translations] = {
    "regional-security-asia-2021": {
        "ru": {
            "title": "Международная научно-практическая конференция «Региональная "
            "безопасность в Азии в контексте предотвращения новых вызовов и угроз»",
            "description": "Проведена Республикой Казахстан в рамках СВМДА с участием "
            "экспертов из 17 государств-членов СВМДА, по вопросам региональной безопасности "
            "в Азии.",
            "city": "Нур-Султан",
        },
        "kk": {
            "title": "«Жаңа сын-қатерлердің алдын алу контекстіндегі Азиядағы өңірлік "
            "қауіпсіздік» халықаралық ғылыми-практикалық конференциясы",
            "description": "Қазақстан Республикасы АӨСШК аясында өткізді; АӨСШК-ке мүше 17 "
            "мемлекеттің сарапшылары Азиядағы өңірлік қауіпсіздік мәселелерін талқылады.",
            "city": "Нұр-Сұлтан",
        },
    },
    "cica-ttf-9": {
        "ru": {
            "title": "Девятое заседание Форума аналитических центров СВМДА",
            "theme": "Новое начало восстановления взаимного доверия в постпандемическую эпоху: "
            "тенденции и задачи",
            "description": "Принимающая сторона — Шанхайский институт международных "
            "исследований, под руководством Секретариата СВМДА и Министерства иностранных дел "
            "Китайской Народной Республики; представители аналитических центров и официальных "
            "учреждений 14 стран, онлайн и очно.",
            "venue": "Шанхайский институт международных исследований",
            "city": "Шанхай",
        },
        "kk": {
            "title": "АӨСШК-тің Талдау орталықтары форумының 9-отырысы",
            "theme": "Пандемиядан кейінгі кезеңде өзара сенімді қалпына келтірудің жаңа "
            "бастауы: үрдістер мен міндеттер",
            "description": "Қабылдаушы тарап — Шанхай халықаралық зерттеулер институты, АӨСШК "
            "Хатшылығы мен Қытай Халық Республикасы Сыртқы істер министрлігінің басшылығымен; "
            "14 елдің талдау орталықтары мен ресми мекемелерінің өкілдері, онлайн және офлайн.",
            "venue": "Шанхай халықаралық зерттеулер институты",
            "city": "Шанхай",
        },
    },
}


def _panel(title_ru: str, title_kk: str, theme_ru: str = "", theme_kk: str = "") -> Translations:
    ru, kk = {"title": title_ru}, {"title": title_kk}
    if theme_ru:
        ru["theme"], kk["theme"] = theme_ru, theme_kk
    return {"ru": ru, "kk": kk}


# By the panel's English title.
PANELS: dict[str, Translations] = {
    "Welcoming remarks": _panel("Приветственное слово", "Құттықтау сөз"),
    "Panel session 1": _panel(
        "Панельная сессия 1",
        "1-панельдік сессия",
        "Новые вызовы и угрозы региональной безопасности в пространстве СВМДА и опыт "
        "государств-членов в противодействии им",
        "АӨСШК кеңістігіндегі өңірлік қауіпсіздікке төнетін жаңа сын-қатерлер және мүше "
        "мемлекеттердің оларға қарсы іс-қимыл тәжірибесі",
    ),
    "Panel session 2": _panel(
        "Панельная сессия 2",
        "2-панельдік сессия",
        "Перспективы развития сотрудничества в рамках СВМДА для обеспечения региональной "
        "безопасности",
        "Өңірлік қауіпсіздікті қамтамасыз ету үшін АӨСШК аясындағы ынтымақтастықты дамыту "
        "перспективалары",
    ),
    "Keynote speeches": _panel("Основные выступления", "Негізгі баяндамалар"),
    "Video address by the Secretary-General of the SCO": _panel(
        "Видеообращение Генерального секретаря ШОС", "ШЫҰ Бас хатшысының бейнеүндеуі"
    ),
    "Realistic security challenges faced by CICA countries in the post-epidemic era": _panel(
        "Реальные вызовы безопасности для стран СВМДА в постэпидемический период",
        "Эпидемиядан кейінгі кезеңде АӨСШК елдері алдындағы нақты қауіпсіздік сын-қатерлері",
    ),
    "Security cooperation among CICA countries in the digital era": _panel(
        "Сотрудничество стран СВМДА в сфере безопасности в цифровую эпоху",
        "Цифрлық дәуірдегі АӨСШК елдерінің қауіпсіздік саласындағы ынтымақтастығы",
    ),
    "The role of think tanks in CICA countries in promoting the transformation and "
    "upgrading of the CICA": _panel(
        "Роль аналитических центров стран СВМДА в содействии трансформации и "
        "совершенствованию СВМДА",
        "АӨСШК-ті трансформациялау мен жетілдіруге жәрдемдесудегі АӨСШК елдерінің талдау "
        "орталықтарының рөлі",
    ),
}

# Institutions' names, by their English name in programme.INSTITUTIONS. From the seed note
# verbale: the Secretariat's and the Shanghai Institutes' names in Russian and Kazakh. The
# others are our translations (the institutions' own Russian or Kazakh names where we know
# them, else a literal rendering): a translator should check them against the institutions'
# own usage before real use.
INSTITUTIONS: dict[str, Translations] = {
    # From the seed note verbale.
    "Secretariat of the Conference on Interaction and Confidence Building Measures in Asia": {
        "ru": {"name": "Секретариат Совещания по взаимодействию и мерам доверия в Азии"},
        "kk": {"name": "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің Хатшылығы"},
    },
    "Shanghai Institutes for International Studies": {
        "ru": {"name": "Шанхайский институт международных исследований"},
        "kk": {"name": "Шанхай халықаралық зерттеулер институты"},
    },
    # Ours.
    "Foreign Policy Research Institute under the Ministry of Foreign Affairs of the Republic of "
    "Kazakhstan": {
        "ru": {
            "name": "Институт внешнеполитических исследований при Министерстве иностранных "
            "дел Республики Казахстан"
        },
        "kk": {
            "name": "Қазақстан Республикасы Сыртқы істер министрлігінің жанындағы Сыртқы "
            "саяси зерттеулер институты"
        },
    },
    sample.HOST: sample.HOST_TRANSLATIONS,
    "Institute of World Economy and Politics under the Nursultan Nazarbayev Foundation": {
        "ru": {"name": "Институт мировой экономики и политики при Фонде Нурсултана Назарбаева"},
        "kk": {
            "name": "Нұрсұлтан Назарбаев қорының жанындағы Әлемдік экономика және саясат институты"
        },
    },
    "Asan Institute for Policy Studies": {
        "ru": {"name": "Институт политических исследований «Асан»"},
        "kk": {"name": "«Асан» саяси зерттеулер институты"},
    },
    "Center for Strategic Research under the President of the Republic of Tajikistan": {
        "ru": {"name": "Центр стратегических исследований при Президенте Республики Таджикистан"},
        "kk": {
            "name": "Тәжікстан Республикасының Президенті жанындағы Стратегиялық зерттеулер "
            "орталығы"
        },
    },
    "Iraqi National Security Advisory": {
        "ru": {"name": "Аппарат советника по национальной безопасности Ирака"},
        "kk": {"name": "Ирактың Ұлттық қауіпсіздік жөніндегі кеңесшісінің аппараты"},
    },
    "Institute of Strategic Studies Islamabad": {
        "ru": {"name": "Институт стратегических исследований, Исламабад"},
        "kk": {"name": "Исламабад стратегиялық зерттеулер институты"},
    },
    "Ankara Yildirim Beyazit University": {
        "ru": {"name": "Университет Анкары имени Йылдырыма Баязида"},
        "kk": {"name": "Анкара Йылдырым Баязид университеті"},
    },
    "Ministry of Foreign Affairs of the People's Republic of China": {
        "ru": {"name": "Министерство иностранных дел Китайской Народной Республики"},
        "kk": {"name": "Қытай Халық Республикасының Сыртқы істер министрлігі"},
    },
}
