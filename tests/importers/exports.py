"""Exports written as WordPress (Tools -> Export, WXR 1.2) and Disqus write them.

A Russian column that lived at https://old.example/blog/: posts with Cyrillic slugs
(percent-encoded, as WordPress keeps them), classic and block-editor bodies, a [caption], a
[gallery] shortcode, a letter split by <!--more-->, by a leading blockquote and by an <hr>,
one with no split at all; a draft, a scheduled post, a private one, a password-protected one,
a page and an attachment; a discussion four replies deep with the columnist's own reply, a
comment held for moderation, spam, a pingback and a comment in the trash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

OLD = "https://old.example/blog"
EMAILS = ("olga@example.org", "ivan@example.org", "spammer@spam.example", "nina@example.org")


@dataclass
class Comment:
    id: int
    author: str
    content: str
    date: str  # GMT
    parent: int = 0
    approved: str = "1"
    type: str = "comment"
    user_id: int = 0
    email: str = "olga@example.org"


@dataclass
class Post:
    id: int
    title: str
    slug: str  # as typed: WordPress percent-encodes it
    content: str
    date: str  # GMT
    status: str = "publish"
    type: str = "post"
    password: str = ""
    categories: list[tuple[str, str, str]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def name(self) -> str:
        return quote(self.slug, safe="-").lower()

    @property
    def link(self) -> str:
        if self.type == "page":
            return f"{OLD}/{self.name}/"
        day = self.date[:10].replace("-", "/")
        return f"{OLD}/{day}/{self.name}/"


LETTER = """Здравствуйте! Мы небольшая студия из четырёх человек. В июне сдали проект, клиент доволен, но оплаты нет уже два месяца.

Как напомнить о деньгах и не испортить отношения?

Марина Л."""

ANSWER = """Марина, сначала о главном: вы ничего не испортите тем, что попросите свои деньги.

Напишите коротко: что сдано, какая сумма, к какому сроку вы ждёте оплату. Если ответа нет три дня — позвоните."""

THREAD = [
    Comment(
        55,
        "Ольга",
        "Звонок работает лучше третьего письма.\n\nПроверено на 27 000 рублей.",
        "2015-02-27 09:00:00",
    ),
    Comment(
        56,
        "Иван",
        "А если клиент <b>не берёт трубку</b>?",
        "2015-02-27 10:00:00",
        parent=55,
        email="ivan@example.org",
    ),
    Comment(
        57,
        "Илья Кравец",
        "Тогда письмо с датой и суммой, и копия руководителю.",
        "2015-02-27 11:00:00",
        parent=56,
        user_id=1,
        email="ilya@old.example",
    ),
    Comment(58, "Ольга", "Спасибо, так и сделаем.", "2015-02-27 12:00:00", parent=57),
    Comment(
        59,
        "Нина",
        "Жду модерации: а если договора нет?",
        "2015-02-27 13:00:00",
        parent=56,
        approved="0",
        email="nina@example.org",
    ),
    Comment(
        60,
        "Casino",
        "Лучшие казино http://spam.example",
        "2015-02-27 14:00:00",
        approved="spam",
        email="spammer@spam.example",
    ),
    Comment(61, "Другой блог", "Ссылка на вас", "2015-02-27 15:00:00", type="pingback"),
    Comment(
        62,
        "Пётр",
        "Отвечаю на спам, но по делу: договор нужен всегда.",
        "2015-02-27 16:00:00",
        parent=60,
    ),
    Comment(63, "Удалённый", "Этот в корзине.", "2015-02-27 17:00:00", approved="trash"),
]

POSTS = [
    Post(
        101,
        "Сдали проект, а оплаты нет уже два месяца",
        "оплата-после-сдачи",
        f"{LETTER}\n\n<!--more-->\n\n{ANSWER}",
        "2015-02-27 07:00:00",
        categories=[
            (
                "category",
                "%d0%bf%d0%b5%d1%80%d0%b5%d0%b3%d0%be%d0%b2%d0%be%d1%80%d1%8b",
                "Переговоры",
            ),
            ("post_tag", "oplata", "оплата"),
        ],
        comments=THREAD,
    ),
    Post(
        102,
        "Клиент просит бесконечные правки",
        "правки",
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>Клиент присылает правки третий месяц. Что делать?</p><p>— Антон</p></blockquote>\n<!-- /wp:quote -->\n\n'
        '<!-- wp:paragraph -->\n<p>Антон, договоритесь о числе кругов заранее. О деньгах мы писали <a href="'
        + OLD
        + '/2015/02/27/%d0%be%d0%bf%d0%bb%d0%b0%d1%82%d0%b0-%d0%bf%d0%be%d1%81%d0%bb%d0%b5-%d1%81%d0%b4%d0%b0%d1%87%d0%b8/">в совете об оплате</a>.</p>\n<!-- /wp:paragraph -->\n\n'
        '[caption id="attachment_7" align="aligncenter" width="300"]<img class="size-medium" src="'
        + OLD
        + '/wp-content/uploads/2015/03/pravki.png" alt="Таблица правок" width="300" height="200" /> Таблица правок в договоре[/caption]',
        "2015-03-06 07:00:00",
        categories=[
            ("category", "uncategorized", "Uncategorized"),
            ("post_tag", "pravki", "правки"),
        ],
        comments=[
            Comment(
                70, "Вера", "Полезно, спасибо!", "2015-03-06 09:00:00", email="vera@example.org"
            )
        ],
    ),
    Post(
        103,
        "Совет без письма",
        "без-письма",
        "Просто заметка колумниста, без письма читателя.",
        "2015-03-13 07:00:00",
    ),
    Post(
        104,
        "Черновик совета",
        "chernovik",
        "Письмо.\n\n<!--more-->\n\nОтвет пишется.",
        "0000-00-00 00:00:00",
        status="draft",
    ),
    Post(
        105,
        "Совет на будущее",
        "budushchee",
        "Письмо о будущем.\n\n<!--more-->\n\nОтвет из будущего.",
        "2099-01-01 07:00:00",
        status="future",
    ),
    Post(
        106, "Личная запись", "lichnoe", "Только для меня.", "2015-03-20 07:00:00", status="private"
    ),
    Post(
        107,
        "Закрытый совет",
        "zakrytyi",
        "Письмо.\n\n<!--more-->\n\nОтвет.",
        "2015-03-27 07:00:00",
        password="secret",
    ),
    Post(
        108,
        "Галерея студии",
        "galereya",
        'Письмо о студии.\n<hr />\nОтвет: вот наши работы.\n\n[gallery ids="7,8"]',
        "2015-04-03 07:00:00",
    ),
    Post(
        201,
        "О колонке",
        "о-колонке",
        "Каждую пятницу мы отвечаем на один вопрос.",
        "2015-01-01 07:00:00",
        type="page",
    ),
]


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _comment(comment: Comment) -> str:
    return f"""
		<wp:comment>
			<wp:comment_id>{comment.id}</wp:comment_id>
			<wp:comment_author>{_cdata(comment.author)}</wp:comment_author>
			<wp:comment_author_email>{_cdata(comment.email)}</wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP>{_cdata("203.0.113.7")}</wp:comment_author_IP>
			<wp:comment_date>{_cdata(comment.date)}</wp:comment_date>
			<wp:comment_date_gmt>{_cdata(comment.date)}</wp:comment_date_gmt>
			<wp:comment_content>{_cdata(comment.content)}</wp:comment_content>
			<wp:comment_approved>{_cdata(comment.approved)}</wp:comment_approved>
			<wp:comment_type>{_cdata(comment.type)}</wp:comment_type>
			<wp:comment_parent>{comment.parent}</wp:comment_parent>
			<wp:comment_user_id>{comment.user_id}</wp:comment_user_id>
		</wp:comment>"""


def _item(post: Post) -> str:
    categories = "".join(
        f'\n\t\t<category domain="{domain}" nicename="{nicename}">{_cdata(name)}</category>'
        for domain, nicename, name in post.categories
    )
    comments = "".join(_comment(c) for c in post.comments)
    return f"""
	<item>
		<title>{_cdata(post.title)}</title>
		<link>{post.link}</link>
		<pubDate>Fri, 27 Feb 2015 07:00:00 +0000</pubDate>
		<dc:creator>{_cdata("ilya")}</dc:creator>
		<guid isPermaLink="false">{OLD}/?p={post.id}</guid>
		<description></description>
		<content:encoded>{_cdata(post.content)}</content:encoded>
		<excerpt:encoded>{_cdata("")}</excerpt:encoded>
		<wp:post_id>{post.id}</wp:post_id>
		<wp:post_date>{_cdata(post.date)}</wp:post_date>
		<wp:post_date_gmt>{_cdata(post.date)}</wp:post_date_gmt>
		<wp:post_modified>{_cdata(post.date)}</wp:post_modified>
		<wp:post_modified_gmt>{_cdata(post.date)}</wp:post_modified_gmt>
		<wp:comment_status>{_cdata("open")}</wp:comment_status>
		<wp:ping_status>{_cdata("open")}</wp:ping_status>
		<wp:post_name>{_cdata(post.name)}</wp:post_name>
		<wp:status>{_cdata(post.status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{_cdata(post.type)}</wp:post_type>
		<wp:post_password>{_cdata(post.password)}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>{categories}
		<wp:postmeta>
			<wp:meta_key>{_cdata("_edit_last")}</wp:meta_key>
			<wp:meta_value>{_cdata("1")}</wp:meta_value>
		</wp:postmeta>{comments}
	</item>"""


ATTACHMENT = f"""
	<item>
		<title>{_cdata("pravki")}</title>
		<link>{OLD}/pravki/</link>
		<dc:creator>{_cdata("ilya")}</dc:creator>
		<content:encoded>{_cdata("")}</content:encoded>
		<wp:post_id>7</wp:post_id>
		<wp:post_date>{_cdata("2015-03-06 07:00:00")}</wp:post_date>
		<wp:post_date_gmt>{_cdata("2015-03-06 07:00:00")}</wp:post_date_gmt>
		<wp:post_name>{_cdata("pravki")}</wp:post_name>
		<wp:status>{_cdata("inherit")}</wp:status>
		<wp:post_type>{_cdata("attachment")}</wp:post_type>
		<wp:attachment_url>{_cdata(OLD + "/wp-content/uploads/2015/03/pravki.png")}</wp:attachment_url>
	</item>"""


def wordpress_export(posts: list[Post] | None = None) -> bytes:
    items = "".join(_item(post) for post in posts or POSTS) + ATTACHMENT
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.4.2" created="2026-11-20 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>Пятничный совет</title>
	<link>{OLD}</link>
	<description>Еженедельные советы</description>
	<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate>
	<language>ru-RU</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{OLD}</wp:base_site_url>
	<wp:base_blog_url>{OLD}</wp:base_blog_url>

	<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{_cdata("ilya")}</wp:author_login><wp:author_email>{_cdata("ilya@old.example")}</wp:author_email><wp:author_display_name>{_cdata("Илья Кравец")}</wp:author_display_name><wp:author_first_name>{_cdata("")}</wp:author_first_name><wp:author_last_name>{_cdata("")}</wp:author_last_name></wp:author>

	<wp:category>
		<wp:term_id>2</wp:term_id>
		<wp:category_nicename>{_cdata("%d0%bf%d0%b5%d1%80%d0%b5%d0%b3%d0%be%d0%b2%d0%be%d1%80%d1%8b")}</wp:category_nicename>
		<wp:category_parent>{_cdata("")}</wp:category_parent>
		<wp:cat_name>{_cdata("Переговоры")}</wp:cat_name>
	</wp:category>

	<generator>https://wordpress.org/?v=6.4.2</generator>
{items}
</channel>
</rss>
""".encode()


def disqus_export() -> bytes:
    """Disqus's export of the same column: a thread per post page, posts with parents."""
    first = f"{OLD}/2015/02/27/%d0%be%d0%bf%d0%bb%d0%b0%d1%82%d0%b0-%d0%bf%d0%be%d1%81%d0%bb%d0%b5-%d1%81%d0%b4%d0%b0%d1%87%d0%b8/"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd http://disqus.com/api/schemas/1.0/disqus-internals.xsd">
  <category dsq:id="3001">
    <forum>pyatnichnyi-sovet</forum>
    <title>General</title>
    <isDefault>true</isDefault>
  </category>
  <thread dsq:id="7001">
    <id>101 {OLD}/?p=101</id>
    <forum>pyatnichnyi-sovet</forum>
    <category dsq:id="3001" />
    <link>{first}</link>
    <title>Сдали проект, а оплаты нет уже два месяца</title>
    <message />
    <createdAt>2015-02-27T07:00:00Z</createdAt>
    <author><name>Пятничный совет</name><isAnonymous>false</isAnonymous><username>sovet_editors</username></author>
    <isClosed>false</isClosed>
    <isDeleted>false</isDeleted>
  </thread>
  <thread dsq:id="7002">
    <id>999</id>
    <forum>pyatnichnyi-sovet</forum>
    <category dsq:id="3001" />
    <link>{OLD}/kontakty/</link>
    <title>Контакты</title>
    <message />
    <createdAt>2015-01-01T07:00:00Z</createdAt>
    <author><name>Пятничный совет</name><isAnonymous>false</isAnonymous><username>sovet_editors</username></author>
    <isClosed>false</isClosed>
    <isDeleted>false</isDeleted>
  </thread>
  <post dsq:id="9001">
    <id />
    <message><![CDATA[<p>Из Disqus: мы выставляем счёт в день сдачи.</p>]]></message>
    <createdAt>2015-02-28T09:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>lena@example.org</email><name>Лена</name><isAnonymous>true</isAnonymous></author>
    <ipAddress>203.0.113.9</ipAddress>
    <thread dsq:id="7001" />
  </post>
  <post dsq:id="9002">
    <id />
    <message><![CDATA[<p>Удалено.</p>]]></message>
    <createdAt>2015-02-28T10:00:00Z</createdAt>
    <isDeleted>true</isDeleted>
    <isSpam>false</isSpam>
    <author><email>gone@example.org</email><name>Ушедший</name><isAnonymous>true</isAnonymous></author>
    <ipAddress>203.0.113.10</ipAddress>
    <thread dsq:id="7001" />
    <parent dsq:id="9001" />
  </post>
  <post dsq:id="9003">
    <id />
    <message><![CDATA[<p>Ответ на удалённый, а по сути — на Лену.</p>]]></message>
    <createdAt>2015-02-28T11:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>kostya@example.org</email><name>Костя</name><isAnonymous>true</isAnonymous></author>
    <ipAddress>203.0.113.11</ipAddress>
    <thread dsq:id="7001" />
    <parent dsq:id="9002" />
  </post>
  <post dsq:id="9004">
    <id />
    <message><![CDATA[<p>Спасибо, Костя!</p>]]></message>
    <createdAt>2015-02-28T12:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>editors@example.org</email><name>Пятничный совет</name><isAnonymous>false</isAnonymous><username>sovet_editors</username></author>
    <ipAddress>203.0.113.12</ipAddress>
    <thread dsq:id="7001" />
    <parent dsq:id="9003" />
  </post>
  <post dsq:id="9005">
    <id />
    <message><![CDATA[<p>Buy now http://spam.example</p>]]></message>
    <createdAt>2015-02-28T13:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>true</isSpam>
    <author><email>spam@spam.example</email><name>Spam</name><isAnonymous>true</isAnonymous></author>
    <ipAddress>203.0.113.13</ipAddress>
    <thread dsq:id="7001" />
  </post>
  <post dsq:id="9006">
    <id />
    <message><![CDATA[<p>Как с вами связаться?</p>]]></message>
    <createdAt>2015-03-01T09:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>who@example.org</email><name>Кто-то</name><isAnonymous>true</isAnonymous></author>
    <ipAddress>203.0.113.14</ipAddress>
    <thread dsq:id="7002" />
  </post>
</disqus>
""".encode()
