// Fixed reference data of the synthetic bank: cities, Russian names, spending categories. Changing
// anything here changes the generated data (GENERATOR_VERSION in generate.ts must then be bumped).

/** One branch per city. `code` names its staff role (`staff_<code>`); `okato` is the region's code (passport series). */
export interface City {
  code: string;
  city: string;
  cityEn: string;
  branchName: string;
  region: string;
  okato: string;
  lat: number;
  lon: number;
  population: number;
  openedOn: string;
}

// Ordered by branch_id: Moscow is branch 1 and St Petersburg branch 2 (the demo's staff_msk / staff_spb).
export const CITIES: readonly City[] = [
  { code: 'msk', city: 'Москва', cityEn: 'Moscow', branchName: 'Московский филиал', region: 'Москва', okato: '45', lat: 55.7558, lon: 37.6173, population: 13_150_000, openedOn: '1994-03-01' },
  { code: 'spb', city: 'Санкт-Петербург', cityEn: 'Saint Petersburg', branchName: 'Петербургский филиал', region: 'Санкт-Петербург', okato: '40', lat: 59.9343, lon: 30.3351, population: 5_600_000, openedOn: '1996-06-17' },
  { code: 'nsk', city: 'Новосибирск', cityEn: 'Novosibirsk', branchName: 'Новосибирский филиал', region: 'Новосибирская область', okato: '50', lat: 55.0084, lon: 82.9357, population: 1_630_000, openedOn: '1999-02-10' },
  { code: 'ekb', city: 'Екатеринбург', cityEn: 'Yekaterinburg', branchName: 'Екатеринбургский филиал', region: 'Свердловская область', okato: '65', lat: 56.8389, lon: 60.6057, population: 1_540_000, openedOn: '1998-09-01' },
  { code: 'kzn', city: 'Казань', cityEn: 'Kazan', branchName: 'Казанский филиал', region: 'Республика Татарстан', okato: '92', lat: 55.7961, lon: 49.1064, population: 1_310_000, openedOn: '2001-04-02' },
  { code: 'nnv', city: 'Нижний Новгород', cityEn: 'Nizhny Novgorod', branchName: 'Нижегородский филиал', region: 'Нижегородская область', okato: '22', lat: 56.2965, lon: 43.9361, population: 1_230_000, openedOn: '2000-11-15' },
  { code: 'chl', city: 'Челябинск', cityEn: 'Chelyabinsk', branchName: 'Челябинский филиал', region: 'Челябинская область', okato: '75', lat: 55.1644, lon: 61.4368, population: 1_190_000, openedOn: '2003-03-03' },
  { code: 'sam', city: 'Самара', cityEn: 'Samara', branchName: 'Самарский филиал', region: 'Самарская область', okato: '36', lat: 53.1959, lon: 50.1008, population: 1_160_000, openedOn: '2002-05-20' },
  { code: 'oms', city: 'Омск', cityEn: 'Omsk', branchName: 'Омский филиал', region: 'Омская область', okato: '52', lat: 54.9885, lon: 73.3242, population: 1_120_000, openedOn: '2005-08-01' },
  { code: 'rnd', city: 'Ростов-на-Дону', cityEn: 'Rostov-on-Don', branchName: 'Ростовский филиал', region: 'Ростовская область', okato: '60', lat: 47.2357, lon: 39.7015, population: 1_140_000, openedOn: '2001-10-10' },
  { code: 'ufa', city: 'Уфа', cityEn: 'Ufa', branchName: 'Уфимский филиал', region: 'Республика Башкортостан', okato: '80', lat: 54.7388, lon: 55.9721, population: 1_160_000, openedOn: '2004-02-16' },
  { code: 'krs', city: 'Красноярск', cityEn: 'Krasnoyarsk', branchName: 'Красноярский филиал', region: 'Красноярский край', okato: '04', lat: 56.0153, lon: 92.8932, population: 1_200_000, openedOn: '2004-06-01' },
  { code: 'vrn', city: 'Воронеж', cityEn: 'Voronezh', branchName: 'Воронежский филиал', region: 'Воронежская область', okato: '20', lat: 51.672, lon: 39.1843, population: 1_050_000, openedOn: '2006-03-13' },
  { code: 'prm', city: 'Пермь', cityEn: 'Perm', branchName: 'Пермский филиал', region: 'Пермский край', okato: '57', lat: 58.0105, lon: 56.2502, population: 1_030_000, openedOn: '2005-09-05' },
  { code: 'vlg', city: 'Волгоград', cityEn: 'Volgograd', branchName: 'Волгоградский филиал', region: 'Волгоградская область', okato: '18', lat: 48.708, lon: 44.5133, population: 1_020_000, openedOn: '2006-07-03' },
  { code: 'krd', city: 'Краснодар', cityEn: 'Krasnodar', branchName: 'Краснодарский филиал', region: 'Краснодарский край', okato: '03', lat: 45.0355, lon: 38.9753, population: 1_100_000, openedOn: '2007-04-09' },
  { code: 'srt', city: 'Саратов', cityEn: 'Saratov', branchName: 'Саратовский филиал', region: 'Саратовская область', okato: '63', lat: 51.5336, lon: 46.0343, population: 900_000, openedOn: '2008-02-11' },
  { code: 'tmn', city: 'Тюмень', cityEn: 'Tyumen', branchName: 'Тюменский филиал', region: 'Тюменская область', okato: '71', lat: 57.1522, lon: 65.5272, population: 850_000, openedOn: '2007-10-01' },
  { code: 'tlt', city: 'Тольятти', cityEn: 'Tolyatti', branchName: 'Тольяттинский филиал', region: 'Самарская область', okato: '36', lat: 53.5303, lon: 49.3461, population: 680_000, openedOn: '2009-05-18' },
  { code: 'izh', city: 'Ижевск', cityEn: 'Izhevsk', branchName: 'Ижевский филиал', region: 'Удмуртская Республика', okato: '94', lat: 56.8527, lon: 53.2115, population: 620_000, openedOn: '2010-03-01' },
  { code: 'brn', city: 'Барнаул', cityEn: 'Barnaul', branchName: 'Барнаульский филиал', region: 'Алтайский край', okato: '01', lat: 53.3548, lon: 83.7698, population: 620_000, openedOn: '2010-09-06' },
  { code: 'uly', city: 'Ульяновск', cityEn: 'Ulyanovsk', branchName: 'Ульяновский филиал', region: 'Ульяновская область', okato: '73', lat: 54.3142, lon: 48.4031, population: 620_000, openedOn: '2011-02-14' },
  { code: 'irk', city: 'Иркутск', cityEn: 'Irkutsk', branchName: 'Иркутский филиал', region: 'Иркутская область', okato: '25', lat: 52.287, lon: 104.305, population: 610_000, openedOn: '2008-08-04' },
  { code: 'khv', city: 'Хабаровск', cityEn: 'Khabarovsk', branchName: 'Хабаровский филиал', region: 'Хабаровский край', okato: '08', lat: 48.4802, lon: 135.0719, population: 610_000, openedOn: '2009-11-02' },
  { code: 'yar', city: 'Ярославль', cityEn: 'Yaroslavl', branchName: 'Ярославский филиал', region: 'Ярославская область', okato: '78', lat: 57.6261, lon: 39.8845, population: 570_000, openedOn: '2011-06-06' },
  { code: 'vvo', city: 'Владивосток', cityEn: 'Vladivostok', branchName: 'Владивостокский филиал', region: 'Приморский край', okato: '05', lat: 43.1155, lon: 131.8855, population: 600_000, openedOn: '2010-04-12' },
  { code: 'mkh', city: 'Махачкала', cityEn: 'Makhachkala', branchName: 'Махачкалинский филиал', region: 'Республика Дагестан', okato: '82', lat: 42.9849, lon: 47.5047, population: 620_000, openedOn: '2013-09-02' },
  { code: 'tom', city: 'Томск', cityEn: 'Tomsk', branchName: 'Томский филиал', region: 'Томская область', okato: '69', lat: 56.4847, lon: 84.9482, population: 570_000, openedOn: '2012-03-05' },
  { code: 'orb', city: 'Оренбург', cityEn: 'Orenburg', branchName: 'Оренбургский филиал', region: 'Оренбургская область', okato: '53', lat: 51.7682, lon: 55.097, population: 560_000, openedOn: '2012-10-15' },
  { code: 'kem', city: 'Кемерово', cityEn: 'Kemerovo', branchName: 'Кемеровский филиал', region: 'Кемеровская область', okato: '32', lat: 55.3547, lon: 86.0873, population: 550_000, openedOn: '2013-04-01' },
];

/** Male first names, most common first, with the patronymics they give a son and a daughter. */
export const MALE_NAMES: readonly (readonly [name: string, sonOf: string, daughterOf: string])[] = [
  ['Александр', 'Александрович', 'Александровна'],
  ['Сергей', 'Сергеевич', 'Сергеевна'],
  ['Дмитрий', 'Дмитриевич', 'Дмитриевна'],
  ['Андрей', 'Андреевич', 'Андреевна'],
  ['Алексей', 'Алексеевич', 'Алексеевна'],
  ['Максим', 'Максимович', 'Максимовна'],
  ['Евгений', 'Евгеньевич', 'Евгеньевна'],
  ['Иван', 'Иванович', 'Ивановна'],
  ['Михаил', 'Михайлович', 'Михайловна'],
  ['Владимир', 'Владимирович', 'Владимировна'],
  ['Артём', 'Артёмович', 'Артёмовна'],
  ['Николай', 'Николаевич', 'Николаевна'],
  ['Павел', 'Павлович', 'Павловна'],
  ['Роман', 'Романович', 'Романовна'],
  ['Денис', 'Денисович', 'Денисовна'],
  ['Олег', 'Олегович', 'Олеговна'],
  ['Игорь', 'Игоревич', 'Игоревна'],
  ['Виктор', 'Викторович', 'Викторовна'],
  ['Юрий', 'Юрьевич', 'Юрьевна'],
  ['Никита', 'Никитич', 'Никитична'],
  ['Константин', 'Константинович', 'Константиновна'],
  ['Антон', 'Антонович', 'Антоновна'],
  ['Кирилл', 'Кириллович', 'Кирилловна'],
  ['Илья', 'Ильич', 'Ильинична'],
  ['Вадим', 'Вадимович', 'Вадимовна'],
  ['Анатолий', 'Анатольевич', 'Анатольевна'],
  ['Валерий', 'Валерьевич', 'Валерьевна'],
  ['Георгий', 'Георгиевич', 'Георгиевна'],
  ['Василий', 'Васильевич', 'Васильевна'],
  ['Пётр', 'Петрович', 'Петровна'],
  ['Григорий', 'Григорьевич', 'Григорьевна'],
  ['Станислав', 'Станиславович', 'Станиславовна'],
  ['Тимур', 'Тимурович', 'Тимуровна'],
  ['Руслан', 'Русланович', 'Руслановна'],
  ['Егор', 'Егорович', 'Егоровна'],
  ['Фёдор', 'Фёдорович', 'Фёдоровна'],
  ['Леонид', 'Леонидович', 'Леонидовна'],
  ['Борис', 'Борисович', 'Борисовна'],
  ['Геннадий', 'Геннадьевич', 'Геннадьевна'],
  ['Ярослав', 'Ярославович', 'Ярославовна'],
];

/** Female first names, most common first. */
export const FEMALE_NAMES: readonly string[] = [
  'Елена', 'Ольга', 'Наталья', 'Екатерина', 'Анна', 'Татьяна', 'Мария', 'Ирина', 'Светлана', 'Юлия',
  'Анастасия', 'Марина', 'Дарья', 'Людмила', 'Галина', 'Валентина', 'Надежда', 'Виктория', 'Ксения', 'Алина',
  'Полина', 'Евгения', 'Александра', 'Вероника', 'Софья', 'Любовь', 'Оксана', 'Нина', 'Кристина', 'Алёна',
  'Елизавета', 'Валерия', 'Яна', 'Лариса', 'Маргарита', 'Алиса', 'Диана', 'Вера', 'Зоя', 'Тамара',
];

/** Surnames in their masculine form, most common first; {@link feminineSurname} gives the feminine one. */
export const SURNAMES: readonly string[] = [
  'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров',
  'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев',
  'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев',
  'Романов', 'Воробьёв', 'Сергеев', 'Кузьмин', 'Фролов', 'Александров', 'Дмитриев', 'Королёв', 'Гусев', 'Киселёв',
  'Ильин', 'Максимов', 'Поляков', 'Сорокин', 'Виноградов', 'Ковалёв', 'Белов', 'Медведев', 'Антонов', 'Тарасов',
  'Жуков', 'Баранов', 'Филиппов', 'Комаров', 'Давыдов', 'Беляев', 'Герасимов', 'Богданов', 'Осипов', 'Сидоров',
  'Матвеев', 'Титов', 'Марков', 'Миронов', 'Крылов', 'Куликов', 'Карпов', 'Власов', 'Мельников', 'Денисов',
  'Гаврилов', 'Тихонов', 'Казаков', 'Афанасьев', 'Данилов', 'Савельев', 'Тимофеев', 'Фомин', 'Чернов', 'Абрамов',
  'Мартынов', 'Ефимов', 'Федотов', 'Щербаков', 'Назаров', 'Калинин', 'Исаев', 'Чернышёв', 'Быков', 'Маслов',
  'Родионов', 'Коновалов', 'Лазарев', 'Воронин', 'Климов', 'Филатов', 'Пономарёв', 'Голубев', 'Кудрявцев', 'Прохоров',
  'Наумов', 'Потапов', 'Журавлёв', 'Овчинников', 'Трофимов', 'Леонов', 'Соболев', 'Ермаков', 'Колесников', 'Гончаров',
  'Емельянов', 'Никифоров', 'Грачёв', 'Котов', 'Гришин', 'Ефремов', 'Архипов', 'Громов', 'Кириллов', 'Малышев',
  'Панов', 'Моисеев', 'Румянцев', 'Акимов', 'Кондратьев', 'Бирюков', 'Горбунов', 'Анисимов', 'Ерёмин', 'Тихомиров',
  'Галкин', 'Лукьянов', 'Михеев', 'Скворцов', 'Юдин', 'Белоусов', 'Нестеров', 'Симонов', 'Прокофьев', 'Харитонов',
  'Князев', 'Цветков', 'Левин', 'Митрофанов', 'Воронов', 'Аксёнов', 'Мальцев', 'Логинов', 'Горшков', 'Савин',
  'Краснов', 'Майоров', 'Демидов', 'Елисеев', 'Рыбаков', 'Сафонов', 'Плотников', 'Дёмин', 'Хохлов', 'Жданов',
  'Островский', 'Покровский', 'Вишневский', 'Полянский', 'Яблонский', 'Трубецкой',
  'Шевченко', 'Бондаренко', 'Ткаченко', 'Кравченко', 'Коваленко', 'Ким', 'Черных', 'Седых',
  'Хабибуллин', 'Гарипов', 'Сафин', 'Валиев', 'Ахметов', 'Галиев', 'Магомедов', 'Алиев', 'Гаджиев', 'Абдуллаев',
];

/** Russian feminine form of a surname: Иванов → Иванова, Островский → Островская, Шевченко unchanged. */
export function feminineSurname(surname: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(surname)) return `${surname}а`;
  if (/(ский|цкий)$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  if (/ой$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  return surname;
}

/** A category of transactions: its merchant category code (card payments), share within its channel and typical amount in roubles. */
export interface Category {
  category: string;
  mcc: number | null;
  direction: 'debit' | 'credit';
  share: number;
  /** Median amount in roubles at the start of 2023. */
  median: number;
  /** Spread of the log-normal amount. */
  sigma: number;
  /** Round amounts to this many roubles (cash). */
  roundTo?: number;
}

export const CHANNELS = ['card', 'atm', 'branch', 'online'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CATEGORIES: Readonly<Record<Channel, readonly Category[]>> = {
  card: [
    { category: 'groceries', mcc: 5411, direction: 'debit', share: 0.3, median: 850, sigma: 0.75 },
    { category: 'restaurants', mcc: 5812, direction: 'debit', share: 0.09, median: 1900, sigma: 0.7 },
    { category: 'fast_food', mcc: 5814, direction: 'debit', share: 0.08, median: 450, sigma: 0.55 },
    { category: 'fuel', mcc: 5541, direction: 'debit', share: 0.07, median: 2400, sigma: 0.45 },
    { category: 'pharmacy', mcc: 5912, direction: 'debit', share: 0.06, median: 700, sigma: 0.7 },
    { category: 'clothing', mcc: 5651, direction: 'debit', share: 0.06, median: 3600, sigma: 0.8 },
    { category: 'taxi', mcc: 4121, direction: 'debit', share: 0.06, median: 480, sigma: 0.5 },
    { category: 'public_transport', mcc: 4111, direction: 'debit', share: 0.05, median: 65, sigma: 0.35 },
    { category: 'electronics', mcc: 5732, direction: 'debit', share: 0.04, median: 9500, sigma: 1.0 },
    { category: 'home_improvement', mcc: 5200, direction: 'debit', share: 0.04, median: 3200, sigma: 0.9 },
    { category: 'marketplace', mcc: 5399, direction: 'debit', share: 0.05, median: 1800, sigma: 0.8 },
    { category: 'telecom', mcc: 4814, direction: 'debit', share: 0.03, median: 550, sigma: 0.4 },
    { category: 'entertainment', mcc: 7832, direction: 'debit', share: 0.03, median: 900, sigma: 0.6 },
    { category: 'beauty', mcc: 7230, direction: 'debit', share: 0.02, median: 1800, sigma: 0.6 },
    { category: 'travel', mcc: 4722, direction: 'debit', share: 0.02, median: 24000, sigma: 0.9 },
  ],
  atm: [
    { category: 'cash_withdrawal', mcc: 6011, direction: 'debit', share: 0.88, median: 5000, sigma: 0.7, roundTo: 100 },
    { category: 'cash_deposit', mcc: 6011, direction: 'credit', share: 0.12, median: 15000, sigma: 0.8, roundTo: 100 },
  ],
  branch: [
    { category: 'cash_deposit', mcc: null, direction: 'credit', share: 0.35, median: 25000, sigma: 1.0, roundTo: 100 },
    { category: 'cash_withdrawal', mcc: null, direction: 'debit', share: 0.25, median: 20000, sigma: 0.9, roundTo: 100 },
    { category: 'transfer_out', mcc: null, direction: 'debit', share: 0.2, median: 15000, sigma: 1.0 },
    { category: 'utilities', mcc: 4900, direction: 'debit', share: 0.12, median: 4800, sigma: 0.5 },
    { category: 'currency_exchange', mcc: 6051, direction: 'debit', share: 0.08, median: 30000, sigma: 1.0, roundTo: 100 },
  ],
  online: [
    { category: 'transfer_out', mcc: null, direction: 'debit', share: 0.34, median: 3500, sigma: 1.0 },
    { category: 'transfer_in', mcc: null, direction: 'credit', share: 0.26, median: 4000, sigma: 1.0 },
    { category: 'utilities', mcc: 4900, direction: 'debit', share: 0.12, median: 4800, sigma: 0.5 },
    { category: 'telecom', mcc: 4814, direction: 'debit', share: 0.08, median: 550, sigma: 0.4 },
    { category: 'marketplace', mcc: 5399, direction: 'debit', share: 0.17, median: 2200, sigma: 0.8 },
    { category: 'taxes', mcc: 9311, direction: 'debit', share: 0.03, median: 6000, sigma: 1.1 },
  ],
};

/**
 * Categories that surge around holidays and paydays, replacing an ordinary pick with the given
 * probability on the listed days ('MM-DD'): flowers before 8 March, gifts before New Year, dacha
 * season around the May holidays, cinema over the New Year holidays, salaries on the 5th and 20th.
 */
export const SPECIALS: readonly { channel: Channel; category: Category; days: Readonly<Record<string, number>> }[] = [
  {
    channel: 'card',
    category: { category: 'florists', mcc: 5992, direction: 'debit', share: 0, median: 2600, sigma: 0.6 },
    days: { '03-05': 0.12, '03-06': 0.22, '03-07': 0.35, '03-08': 0.2, '02-13': 0.08, '02-14': 0.15, '09-01': 0.12 },
  },
  {
    channel: 'card',
    category: { category: 'gifts_toys', mcc: 5945, direction: 'debit', share: 0, median: 3200, sigma: 0.8 },
    days: { '12-20': 0.06, '12-21': 0.07, '12-22': 0.08, '12-23': 0.1, '12-24': 0.12, '12-25': 0.13, '12-26': 0.15, '12-27': 0.17, '12-28': 0.2, '12-29': 0.22, '12-30': 0.24, '12-31': 0.18, '02-21': 0.08, '02-22': 0.12 },
  },
  {
    channel: 'card',
    category: { category: 'garden', mcc: 5261, direction: 'debit', share: 0, median: 2100, sigma: 0.8 },
    days: { '04-28': 0.08, '04-29': 0.1, '04-30': 0.14, '05-01': 0.16, '05-02': 0.14, '05-03': 0.12, '05-08': 0.1, '05-09': 0.1, '05-10': 0.1 },
  },
  {
    channel: 'card',
    category: { category: 'entertainment', mcc: 7832, direction: 'debit', share: 0, median: 1100, sigma: 0.6 },
    days: { '01-02': 0.15, '01-03': 0.18, '01-04': 0.18, '01-05': 0.15, '01-06': 0.12, '01-07': 0.12 },
  },
  {
    channel: 'online',
    category: { category: 'salary', mcc: null, direction: 'credit', share: 0, median: 48000, sigma: 0.55 },
    days: { '05': 0.3, '20': 0.3 },
  },
];

/**
 * Day factors of the Russian calendar ('MM-DD'): non-working holidays (New Year holidays 1–8 January,
 * 23 February, 8 March, 1 and 9 May, 12 June, 4 November) and their busy eves. `closed` means
 * branches are shut (as on Sundays).
 */
export const HOLIDAYS: Readonly<Record<string, { factor: number; closed?: boolean }>> = {
  '12-27': { factor: 1.2 }, '12-28': { factor: 1.28 }, '12-29': { factor: 1.35 }, '12-30': { factor: 1.42 }, '12-31': { factor: 1.3 },
  '01-01': { factor: 0.42, closed: true }, '01-02': { factor: 0.6, closed: true }, '01-03': { factor: 0.72, closed: true },
  '01-04': { factor: 0.75, closed: true }, '01-05': { factor: 0.77, closed: true }, '01-06': { factor: 0.8, closed: true },
  '01-07': { factor: 0.72, closed: true }, '01-08': { factor: 0.82, closed: true },
  '02-22': { factor: 1.12 }, '02-23': { factor: 0.88, closed: true },
  '03-06': { factor: 1.15 }, '03-07': { factor: 1.32 }, '03-08': { factor: 0.8, closed: true },
  '04-30': { factor: 1.15 }, '05-01': { factor: 0.8, closed: true },
  '05-08': { factor: 1.15 }, '05-09': { factor: 0.78, closed: true },
  '06-11': { factor: 1.1 }, '06-12': { factor: 0.85, closed: true },
  '11-03': { factor: 1.1 }, '11-04': { factor: 0.85, closed: true },
};

/** ATM sites and their typical withdrawals a day in a city of a million. */
export const ATM_SITES: readonly { site: string; base: number }[] = [
  { site: 'branch', base: 120 },
  { site: 'shopping_mall', base: 170 },
  { site: 'supermarket', base: 110 },
  { site: 'railway_station', base: 190 },
  { site: 'business_center', base: 95 },
  { site: 'university', base: 80 },
  { site: 'hospital', base: 70 },
];
