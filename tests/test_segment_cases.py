"""Regression suite of tricky news-text segmentation cases, Russian and English.

Each case is one paragraph and the exact sentences it must split into. The same cases run
through the bundled rules and through those rules exported to SRX 2.0 and read back.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from transpipe.model import SegmentKind
from transpipe.segment import RuleSegmenter, load_rules, segment_text
from transpipe.segment.srx import SrxSegmenter


@dataclass(frozen=True)
class Case:
    """One paragraph and the exact sentences it must split into."""

    lang: str
    text: str
    sentences: list[str]
    id: str

    @property
    def values(self) -> tuple[str, str, list[str]]:
        return self.lang, self.text, self.sentences


P = pytest.param

CASES = [
    # -- initials and name abbreviations ------------------------------------------------------
    Case(
        "ru",
        "И.Н. Тасмагамбетов провёл встречу в Минске. Обсуждались итоги года.",
        ["И.Н. Тасмагамбетов провёл встречу в Минске.", "Обсуждались итоги года."],
        id="ru-initials-IN-Tasmagambetov",
    ),
    Case(
        "ru",
        "Президент С. Жапаров прибыл в Бишкек. Его встретил А. С. Петров.",
        ["Президент С. Жапаров прибыл в Бишкек.", "Его встретил А. С. Петров."],
        id="ru-initials-S-Zhaparov-spaced",
    ),
    Case(
        "ru",
        "Документ подписал Петров А.В. В нём три пункта.",
        ["Документ подписал Петров А.В.", "В нём три пункта."],
        id="ru-initials-after-surname-end-sentence",
    ),
    Case(
        "en",
        "The report was written by A. B. Smith. It was published on Monday.",
        ["The report was written by A. B. Smith.", "It was published on Monday."],
        id="en-initials-A-B-Smith",
    ),
    Case(
        "en",
        "Fans of J. R. R. Tolkien Jr. met in Oxford. They read aloud.",
        ["Fans of J. R. R. Tolkien Jr. met in Oxford.", "They read aloud."],
        id="en-initials-JRR-Tolkien-Jr",
    ),
    Case(
        "en",
        "The prize went to Martin Luther King Jr. The crowd cheered.",
        ["The prize went to Martin Luther King Jr.", "The crowd cheered."],
        id="en-Jr-ends-sentence",
    ),
    Case(
        "ru",
        "Встреча с И.\u00a0Н.\u00a0Петровым прошла в Москве. Гости уехали.",
        ["Встреча с И.\u00a0Н.\u00a0Петровым прошла в Москве.", "Гости уехали."],
        id="ru-initials-no-break-spaces",
    ),
    Case(
        "en",
        "The plant is in Zelenograd.\u00a0Building 5 is new. Visitors come daily.",
        ["The plant is in Zelenograd.\u00a0Building 5 is new.", "Visitors come daily."],
        id="en-no-break-space-binds",
    ),
    # -- Russian abbreviations ----------------------------------------------------------------
    Case(
        "ru",
        "Решение принято, т.е. закон вступит в силу. Это важно.",
        ["Решение принято, т.е. закон вступит в силу.", "Это важно."],
        id="ru-abbr-te",
    ),
    Case(
        "ru",
        "Решение принято, т. е. закон вступит в силу.",
        ["Решение принято, т. е. закон вступит в силу."],
        id="ru-abbr-te-spaced",
    ),
    Case(
        "ru",
        "Отчёт за март т.г. Опубликован на сайте.",
        ["Отчёт за март т.г.", "Опубликован на сайте."],
        id="ru-abbr-tg-ends-sentence",
    ),
    Case(
        "ru",
        "Саммит прошёл в г. Москве. Делегации уехали.",
        ["Саммит прошёл в г. Москве.", "Делегации уехали."],
        id="ru-abbr-g-city",
    ),
    Case(
        "ru",
        "Договор подписан в 2020 г. В нём десять статей.",
        ["Договор подписан в 2020 г.", "В нём десять статей."],
        id="ru-abbr-g-year-ends-sentence",
    ),
    Case(
        "ru",
        "В 2019–2021 гг. Организация выросла вдвое.",
        ["В 2019–2021 гг.", "Организация выросла вдвое."],
        id="ru-abbr-gg-years",
    ),
    Case(
        "ru",
        "Заседание длилось ок. 2 часов. Решения приняты.",
        ["Заседание длилось ок. 2 часов.", "Решения приняты."],
        id="ru-abbr-ok-number",
    ),
    Case(
        "ru",
        "Подробности см. Приложение 2 к договору.",
        ["Подробности см. Приложение 2 к договору."],
        id="ru-abbr-sm-see",
    ),
    Case(
        "ru",
        "Выступил проф. Иванов из МГУ. Зал аплодировал.",
        ["Выступил проф. Иванов из МГУ.", "Зал аплодировал."],
        id="ru-abbr-prof",
    ),
    Case(
        "ru",
        "Справки по тел. 8 800 000-00-00 круглосуточно.",
        ["Справки по тел. 8 800 000-00-00 круглосуточно."],
        id="ru-abbr-tel",
    ),
    Case(
        "ru",
        "Он выступил в университете им. Н.Э. Баумана. Студенты слушали.",
        ["Он выступил в университете им. Н.Э. Баумана.", "Студенты слушали."],
        id="ru-abbr-im-imeni",
    ),
    Case(
        "ru",
        "Детали сообщили им. Но позже всё изменилось.",
        ["Детали сообщили им.", "Но позже всё изменилось."],
        id="ru-word-im-pronoun-ends-sentence",
    ),
    Case(
        "ru",
        "Офис находится на ул. Ленина, д. 5. Вход со двора.",
        ["Офис находится на ул. Ленина, д. 5.", "Вход со двора."],
        id="ru-abbr-ul-d",
    ),
    Case(
        "ru",
        "Встреча назначена на 15 дек. 2023 года в Москве.",
        ["Встреча назначена на 15 дек. 2023 года в Москве."],
        id="ru-abbr-dek-date",
    ),
    Case(
        "ru",
        "Бюджет составил 5 млрд руб. Это рекорд.",
        ["Бюджет составил 5 млрд руб.", "Это рекорд."],
        id="ru-abbr-mlrd-rub-ends-sentence",
    ),
    Case(
        "ru",
        "Цена выросла до 300 руб. за литр.",
        ["Цена выросла до 300 руб. за литр."],
        id="ru-abbr-rub-lowercase-next",
    ),
    Case(
        "ru",
        "Выручка сервиса достигла $40 млрд. Об этом сообщили аналитики.",
        ["Выручка сервиса достигла $40 млрд.", "Об этом сообщили аналитики."],
        id="ru-currency-before-number-unit",
    ),
    Case(
        "ru",
        "Пишите по адресу: 101000, г. Москва, ул. Мясницкая, 1.",
        ["Пишите по адресу: 101000, г. Москва, ул. Мясницкая, 1."],
        id="ru-postcode-then-g-city",
    ),
    Case(
        "ru",
        "Согласно ст. 15 закона, срок продлён. Решение окончательное.",
        ["Согласно ст. 15 закона, срок продлён.", "Решение окончательное."],
        id="ru-abbr-st-article",
    ),
    Case(
        "ru",
        "Покупали хлеб, молоко и т.д. Потом ушли домой.",
        ["Покупали хлеб, молоко и т.д.", "Потом ушли домой."],
        id="ru-abbr-td-ends-sentence",
    ),
    Case(
        "ru",
        "Рекордная жара: до +40 °С. Синоптики предупреждают.",
        ["Рекордная жара: до +40 °С.", "Синоптики предупреждают."],
        id="ru-degree-celsius-not-initial",
    ),
    # -- English abbreviations ----------------------------------------------------------------
    Case(
        "en",
        "Mr. Brown and Dr. Green met Gen. Ivanov. Prof. White was absent.",
        ["Mr. Brown and Dr. Green met Gen. Ivanov.", "Prof. White was absent."],
        id="en-abbr-titles",
    ),
    Case(
        "en",
        "They met at St. Petersburg on Jan. 5. The talks lasted hours.",
        ["They met at St. Petersburg on Jan. 5.", "The talks lasted hours."],
        id="en-abbr-St-Jan",
    ),
    Case(
        "en",
        "Resolution No. 12 was adopted. It takes effect in May.",
        ["Resolution No. 12 was adopted.", "It takes effect in May."],
        id="en-abbr-No-number",
    ),
    Case(
        "en",
        "The trip takes approx. 3 hours, i.e. half a day, e.g. by train.",
        ["The trip takes approx. 3 hours, i.e. half a day, e.g. by train."],
        id="en-abbr-approx-ie-eg",
    ),
    Case(
        "en",
        "The meeting starts at 9 a.m. Moscow time. It ends at 5 p.m. The press is invited.",
        [
            "The meeting starts at 9 a.m. Moscow time.",
            "It ends at 5 p.m.",
            "The press is invited.",
        ],
        id="en-abbr-am-pm",
    ),
    Case(
        "en",
        "The U.S. President and the U.N. Secretary-General spoke. Both left early.",
        ["The U.S. President and the U.N. Secretary-General spoke.", "Both left early."],
        id="en-abbr-US-UN-inside",
    ),
    Case(
        "en",
        "Sanctions were imposed by the U.S. The move surprised Moscow.",
        ["Sanctions were imposed by the U.S.", "The move surprised Moscow."],
        id="en-abbr-US-ends-sentence",
    ),
    Case(
        "en",
        "They bought bread, milk, etc. Then they went home.",
        ["They bought bread, milk, etc.", "Then they went home."],
        id="en-abbr-etc-ends-sentence",
    ),
    Case(
        "en",
        "The driver (b. 1958) was unhurt. Police are investigating.",
        ["The driver (b. 1958) was unhurt.", "Police are investigating."],
        id="en-abbr-born-year",
    ),
    Case(
        "ru",
        "Заседание прошло в штаб-квартире ОДКБ. Генеральный секретарь выступил с речью.",
        ["Заседание прошло в штаб-квартире ОДКБ.", "Генеральный секретарь выступил с речью."],
        id="ru-acronym-ends-sentence",
    ),
    Case(
        "en",
        "He spoke about cooperation with the UN. Journalists asked questions.",
        ["He spoke about cooperation with the UN.", "Journalists asked questions."],
        id="en-acronym-ends-sentence",
    ),
    # -- an abbreviation that really ends a sentence ------------------------------------------
    Case(
        "ru",
        "Операция продолжалась ок. 1,5 ч. Подробнее см. ... в нашем материале.",
        ["Операция продолжалась ок. 1,5 ч.", "Подробнее см. ... в нашем материале."],
        id="ru-abbr-ch-ends-sentence-then-sm",
    ),
    Case(
        "en",
        "The wall is 12 ft. The gate is wider.",
        ["The wall is 12 ft.", "The gate is wider."],
        id="en-unit-ft-ends-sentence",
    ),
    # -- dates and numbers --------------------------------------------------------------------
    Case(
        "ru",
        "Указ подписан 10.03.2023 и вступил в силу. Рост составил 1,5 процента.",
        ["Указ подписан 10.03.2023 и вступил в силу.", "Рост составил 1,5 процента."],
        id="ru-date-and-decimal-comma",
    ),
    Case(
        "en",
        "Growth was 1.5 percent in 2023. Inflation fell to 3.2 percent.",
        ["Growth was 1.5 percent in 2023.", "Inflation fell to 3.2 percent."],
        id="en-decimal-point",
    ),
    Case(
        "ru",
        "Телефон пресс-службы +7000-123-45-67. Звоните в рабочее время.",
        ["Телефон пресс-службы +7000-123-45-67.", "Звоните в рабочее время."],
        id="ru-phone-number",
    ),
    Case(
        "en",
        "Turnout reached 67.3%. 2024 will be different.",
        ["Turnout reached 67.3%.", "2024 will be different."],
        id="en-sentence-starting-with-digit",
    ),
    # -- quotes -------------------------------------------------------------------------------
    Case(
        "ru",
        "Он назвал решение «ошибкой». Партнёры промолчали.",
        ["Он назвал решение «ошибкой».", "Партнёры промолчали."],
        id="ru-guillemets-end-outside",
    ),
    Case(
        "ru",
        "Министр сказал: «Мы готовы к переговорам.» Ответа не последовало.",
        ["Министр сказал: «Мы готовы к переговорам.»", "Ответа не последовало."],
        id="ru-guillemets-end-inside",
    ),
    Case(
        "ru",
        "Газета „Новая жизнь“ закрылась. Редакция переехала.",
        ["Газета „Новая жизнь“ закрылась.", "Редакция переехала."],
        id="ru-low-high-quotes",
    ),
    Case(
        "en",
        'He said "We won." Then he left the hall.',
        ['He said "We won."', "Then he left the hall."],
        id="en-straight-quotes-end-inside",
    ),
    Case(
        "en",
        "She called it “a mistake”. Nobody answered.",
        ["She called it “a mistake”.", "Nobody answered."],
        id="en-curly-quotes-end-outside",
    ),
    Case(
        "en",
        "The minister said. “We are ready.” The talks resumed.",
        ["The minister said.", "“We are ready.”", "The talks resumed."],
        id="en-sentence-starting-with-quote",
    ),
    # -- direct speech ------------------------------------------------------------------------
    Case(
        "ru",
        "«Мы победим!» – сказал он. «Посмотрим», – ответили ему.",
        ["«Мы победим!» – сказал он.", "«Посмотрим», – ответили ему."],
        id="ru-direct-speech-exclamation-dash-said",
    ),
    Case(
        "ru",
        "«Что будет дальше?» — спросил журналист. Ответа не было.",
        ["«Что будет дальше?» — спросил журналист.", "Ответа не было."],
        id="ru-direct-speech-question-emdash",
    ),
    Case(
        "ru",
        "«Это важный шаг, – пояснил эксперт. – Он откроет рынок».",
        ["«Это важный шаг, – пояснил эксперт. – Он откроет рынок»."],
        id="ru-direct-speech-continues-after-attribution",
    ),
    Case(
        "en",
        '"Are you sure?" asked the reporter. "Yes!" she replied.',
        ['"Are you sure?" asked the reporter.', '"Yes!" she replied.'],
        id="en-direct-speech-question-asked",
    ),
    # -- ellipsis -----------------------------------------------------------------------------
    Case(
        "ru",
        "Мы ждали... Наконец поезд пришёл. Он опоздал… Никто не извинился.",
        ["Мы ждали...", "Наконец поезд пришёл.", "Он опоздал…", "Никто не извинился."],
        id="ru-ellipsis-dots-and-char",
    ),
    Case(
        "en",
        "We waited... and waited. Finally… The train came.",
        ["We waited... and waited.", "Finally…", "The train came."],
        id="en-ellipsis-lowercase-continues",
    ),
    # -- question and exclamation marks -------------------------------------------------------
    Case(
        "ru",
        "Кто виноват? Что делать?! Ответа нет!",
        ["Кто виноват?", "Что делать?!", "Ответа нет!"],
        id="ru-question-exclamation",
    ),
    Case(
        "en",
        "Why now? Nobody knows! Really?! Yes.",
        ["Why now?", "Nobody knows!", "Really?!", "Yes."],
        id="en-question-exclamation",
    ),
    # -- lists --------------------------------------------------------------------------------
    Case(
        "ru",
        "Повестка дня:\n1. Бюджет на год.\n2. Выборы председателя",
        ["Повестка дня:", "1. Бюджет на год.", "2. Выборы председателя"],
        id="ru-numbered-list",
    ),
    Case(
        "en",
        "Participants:\n- the chairman;\n- the secretary;\n- two observers.",
        ["Participants:", "- the chairman;", "- the secretary;", "- two observers."],
        id="en-bullet-list-lowercase-items",
    ),
    Case(
        "en",
        "1. Introduction of the new rules.",
        ["1. Introduction of the new rules."],
        id="en-list-number-at-line-start",
    ),
    # -- URLs and e-mail addresses ------------------------------------------------------------
    Case(
        "ru",
        "Подробности на сайте www.example.org. Вопросы шлите на press@example.org.",
        ["Подробности на сайте www.example.org.", "Вопросы шлите на press@example.org."],
        id="ru-url-and-email",
    ),
    Case(
        "en",
        "See https://example.com/news/2023/item.html?id=5. Contact info@example.com today.",
        ["See https://example.com/news/2023/item.html?id=5.", "Contact info@example.com today."],
        id="en-url-with-dots-and-email",
    ),
    # -- soft line breaks ---------------------------------------------------------------------
    Case(
        "en",
        "Press officer Anna Smirnova\n+7000-123-45-67 -tel",
        ["Press officer Anna Smirnova", "+7000-123-45-67 -tel"],
        id="en-soft-break-name-and-phone",
    ),
    Case(
        "ru",
        "Совещание прошло в столице\nи завершилось вечером.",
        ["Совещание прошло в столице\nи завершилось вечером."],
        id="ru-soft-break-joined-lowercase",
    ),
    Case(
        "ru",
        "Пресс-секретарь ОДКБ Владимир Петров,\nМосква",
        ["Пресс-секретарь ОДКБ Владимир Петров,\nМосква"],
        id="ru-soft-break-joined-after-comma",
    ),
    # -- brackets -----------------------------------------------------------------------------
    Case(
        "ru",
        "Группы (финансовые и промышленные. – Ред.) усилили влияние. Это заметно.",
        ["Группы (финансовые и промышленные. – Ред.) усилили влияние.", "Это заметно."],
        id="ru-editor-note-in-brackets",
    ),
    # -- degrees and titles before initials, abbreviated foreign names -----------------------
    Case(
        "ru",
        "Доклад сделал д.т.н. И.И. Воронин. Вопросы задавали студенты.",
        ["Доклад сделал д.т.н. И.И. Воронин.", "Вопросы задавали студенты."],
        id="ru-initials-after-degree-dtn",
    ),
    Case(
        "ru",
        "Руководит проектом к.ф.-м.н. О.Л. Сомова из Томска.",
        ["Руководит проектом к.ф.-м.н. О.Л. Сомова из Томска."],
        id="ru-initials-after-hyphenated-degree",
    ),
    Case(
        "ru",
        "Отзыв написал д.филол.н. П.Р. Гусев. Его зачитали вслух.",
        ["Отзыв написал д.филол.н. П.Р. Гусев.", "Его зачитали вслух."],
        id="ru-initials-after-long-degree",
    ),
    Case(
        "ru",
        "Вступительное слово произнёс проф. Е.В. Ларин. Затем начались доклады.",
        ["Вступительное слово произнёс проф. Е.В. Ларин.", "Затем начались доклады."],
        id="ru-initials-after-title-prof",
    ),
    Case(
        "ru",
        "Соглашение подписал Роберт Дж. Уилсон, посол Канады.",
        ["Соглашение подписал Роберт Дж. Уилсон, посол Канады."],
        id="ru-abbreviated-foreign-first-name-Dzh",
    ),
    Case(
        "ru",
        "Аэропорт имени Джона Ф. Кеннеди закрыли на ремонт. Рейсы перенесли.",
        ["Аэропорт имени Джона Ф. Кеннеди закрыли на ремонт.", "Рейсы перенесли."],
        id="ru-abbreviated-foreign-middle-name",
    ),
    # -- numbered headings --------------------------------------------------------------------
    Case(
        "ru",
        "II. Ход работ описан в приложении.",
        ["II. Ход работ описан в приложении."],
        id="ru-heading-roman-numeral",
    ),
    Case(
        "ru",
        "III. Выводы и предложения\nКомиссия рекомендует продлить срок.",
        ["III. Выводы и предложения", "Комиссия рекомендует продлить срок."],
        id="ru-heading-roman-numeral-own-line",
    ),
    Case(
        "ru",
        "§ 4. Права и обязанности сторон",
        ["§ 4. Права и обязанности сторон"],
        id="ru-heading-section-sign-spaced",
    ),
    Case(
        "ru",
        "§2. Срок действия договора истекает в мае.",
        ["§2. Срок действия договора истекает в мае."],
        id="ru-heading-section-sign",
    ),
    Case(
        "ru",
        "3.2. Порядок расчётов",
        ["3.2. Порядок расчётов"],
        id="ru-heading-decimal",
    ),
    Case(
        "ru",
        "Раздел 3. 3.2. Порядок расчётов определён ниже.",
        ["Раздел 3.", "3.2. Порядок расчётов определён ниже."],
        id="ru-heading-decimal-after-a-sentence",
    ),
    Case(
        "ru",
        "Рост составил 2.5. В прошлом году было меньше.",
        ["Рост составил 2.5.", "В прошлом году было меньше."],
        id="ru-decimal-number-ends-sentence",
    ),
    Case(
        "en",
        "4.1. Scope of the audit",
        ["4.1. Scope of the audit"],
        id="en-heading-decimal",
    ),
    # -- enumerations -------------------------------------------------------------------------
    Case(
        "ru",
        "Арендатор обязан: 1) вносить плату; 2) содержать помещение в порядке.",
        ["Арендатор обязан: 1) вносить плату;", "2) содержать помещение в порядке."],
        id="ru-enumeration-after-semicolon",
    ),
    Case(
        "ru",
        "Комиссия проверяет: а) отчёты; б) сметы.",
        ["Комиссия проверяет: а) отчёты;", "б) сметы."],
        id="ru-enumeration-letters-after-semicolon",
    ),
    Case(
        "ru",
        "Решение принято; сроки не изменились.",
        ["Решение принято; сроки не изменились."],
        id="ru-semicolon-without-enumeration",
    ),
    Case(
        "en",
        "The plan covers: 1) roads; 2) schools.",
        ["The plan covers: 1) roads;", "2) schools."],
        id="en-enumeration-after-semicolon",
    ),
    # -- emoticons ----------------------------------------------------------------------------
    Case(
        "ru",
        "Экзамен сдан :) Вечером празднуем.",
        ["Экзамен сдан :)", "Вечером празднуем."],
        id="ru-emoticon-smile",
    ),
    Case(
        "ru",
        "Спасибо всем)) До встречи в субботу.",
        ["Спасибо всем))", "До встречи в субботу."],
        id="ru-emoticon-double-bracket",
    ),
    Case(
        "ru",
        "Опять дождь :( Прогулку отменяем.",
        ["Опять дождь :(", "Прогулку отменяем."],
        id="ru-emoticon-sad",
    ),
    Case(
        "ru",
        "Слов нет ;) Но есть идеи.",
        ["Слов нет ;)", "Но есть идеи."],
        id="ru-emoticon-wink",
    ),
    Case(
        "ru",
        "Смотрим отчёт :) а потом решаем.",
        ["Смотрим отчёт :) а потом решаем."],
        id="ru-emoticon-before-lower-case",
    ),
    Case(
        "ru",
        "Данные приведены в таблице (см. приложение (3)) Подробности ниже.",
        ["Данные приведены в таблице (см. приложение (3)) Подробности ниже."],
        id="ru-closing-brackets-are-not-an-emoticon",
    ),
    Case(
        "en",
        "The launch went well :) More news tomorrow.",
        ["The launch went well :)", "More news tomorrow."],
        id="en-emoticon-smile",
    ),
]


@pytest.fixture(scope="module")
def segmenters() -> dict[str, RuleSegmenter]:
    return {lang: RuleSegmenter(lang) for lang in ("ru", "en")}


@pytest.mark.parametrize(
    ("lang", "text", "expected"), [c.values for c in CASES], ids=[c.id for c in CASES]
)
def test_split(
    segmenters: dict[str, RuleSegmenter], lang: str, text: str, expected: list[str]
) -> None:
    spans = segmenters[lang].split(text)
    assert [text[s.start : s.end] for s in spans] == expected


@pytest.fixture(scope="module")
def srx_segmenters() -> dict[str, SrxSegmenter]:
    return {lang: SrxSegmenter.from_rules(load_rules(lang)) for lang in ("ru", "en")}


# Cases the SRX export cannot express (it has no memory of earlier text in the sentence).
SRX_LIMITS = {
    "ru-direct-speech-continues-after-attribution",
    "ru-editor-note-in-brackets",
}
SRX_CASES = [case for case in CASES if case.id not in SRX_LIMITS]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), [c.values for c in SRX_CASES], ids=[c.id for c in SRX_CASES]
)
def test_split_with_exported_srx(
    srx_segmenters: dict[str, SrxSegmenter], lang: str, text: str, expected: list[str]
) -> None:
    spans = srx_segmenters[lang].split(text)
    assert [text[s.start : s.end] for s in spans] == expected


KIND_CASES = [
    P("en", "Go back", SegmentKind.BOILERPLATE, id="en-boilerplate-Go-back"),
    P("en", "Back to the section", SegmentKind.BOILERPLATE, id="en-boilerplate-Back-to-section"),
    P("en", "Back to the all news", SegmentKind.BOILERPLATE, id="en-boilerplate-Back-to-all-news"),
    P("en", "Print", SegmentKind.BOILERPLATE, id="en-boilerplate-Print"),
    P("en", "Share:", SegmentKind.BOILERPLATE, id="en-boilerplate-Share-colon"),
    P("ru", "Назад", SegmentKind.BOILERPLATE, id="ru-boilerplate-Nazad"),
    P("ru", "Вернуться в раздел", SegmentKind.BOILERPLATE, id="ru-boilerplate-Vernutsya-v-razdel"),
    P(
        "ru",
        "ВЕРНУТЬСЯ КО ВСЕМ НОВОСТЯМ",
        SegmentKind.BOILERPLATE,
        id="ru-boilerplate-upper-case",
    ),
    P("en", "CSTO leaders meet in Minsk", SegmentKind.HEADLINE, id="en-headline-no-final-punct"),
    P("ru", "Лидеры ОДКБ встретились в Минске", SegmentKind.HEADLINE, id="ru-headline"),
    P("ru", "Путин: «Мы готовы»", SegmentKind.HEADLINE, id="ru-headline-ending-in-quote"),
    P("en", "Leaders met in Minsk.", SegmentKind.SENTENCE, id="en-one-line-sentence-not-headline"),
    P("ru", "Кто победит?", SegmentKind.SENTENCE, id="ru-question-not-headline"),
    P("en", "The agenda includes:", SegmentKind.SENTENCE, id="en-lead-in-colon-not-headline"),
]


@pytest.mark.parametrize(("lang", "text", "kind"), KIND_CASES)
def test_segment_kind(lang: str, text: str, kind: SegmentKind) -> None:
    document = segment_text(f"{text}\n\nСледующий абзац. Next paragraph.", lang, name="k")
    first = document.segments[0]
    assert (first.text, first.kind) == (text, kind)
    assert all(s.kind is SegmentKind.SENTENCE for s in document.paragraphs[1].segments)
