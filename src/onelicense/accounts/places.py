"""Beijing's districts (GB/T 2260) and the kinds of department that approve or supervise.

These are facts about places, not rules of the reform, so they ship with the code and are
loaded by a data migration; the catalogue names departments by the kind codes below.
"""

from typing import NamedTuple


class PlaceRow(NamedTuple):
    code: str
    name: str


DISTRICTS: tuple[PlaceRow, ...] = (
    PlaceRow("110101", "东城区"),
    PlaceRow("110102", "西城区"),
    PlaceRow("110105", "朝阳区"),
    PlaceRow("110106", "丰台区"),
    PlaceRow("110107", "石景山区"),
    PlaceRow("110108", "海淀区"),
    PlaceRow("110109", "门头沟区"),
    PlaceRow("110111", "房山区"),
    PlaceRow("110112", "通州区"),
    PlaceRow("110113", "顺义区"),
    PlaceRow("110114", "昌平区"),
    PlaceRow("110115", "大兴区"),
    PlaceRow("110116", "怀柔区"),
    PlaceRow("110117", "平谷区"),
    PlaceRow("110118", "密云区"),
    PlaceRow("110119", "延庆区"),
    # The 经开区 is a functional area, not a GB/T 2260 unit; 110400 is the code the platform
    # gives it (assumed), outside the range of the sixteen districts.
    PlaceRow("110400", "北京经济技术开发区"),
)


class DepartmentKindRow(NamedTuple):
    code: str
    name: str  # as it follows the district's name: 朝阳区 + 市场监督管理局
    city_name: str  # the city-level body of the same kind
    district_level: bool  # False: only the city-level body exists (e.g. postal administration)


DEPARTMENT_KINDS: tuple[DepartmentKindRow, ...] = (
    DepartmentKindRow("government_services", "政务服务管理局", "北京市政务服务和数据管理局", True),
    DepartmentKindRow("market_regulation", "市场监督管理局", "北京市市场监督管理局", True),
    DepartmentKindRow("fire_rescue", "消防救援支队", "北京市消防救援总队", True),
    DepartmentKindRow("health", "卫生健康委员会", "北京市卫生健康委员会", True),
    DepartmentKindRow("disease_control", "疾病预防控制局", "北京市疾病预防控制局", True),
    DepartmentKindRow("public_security", "公安分局", "北京市公安局", True),
    DepartmentKindRow("culture_tourism", "文化和旅游局", "北京市文化和旅游局", True),
    DepartmentKindRow("sports", "体育局", "北京市体育局", True),
    DepartmentKindRow("urban_management", "城市管理委员会", "北京市城市管理委员会", True),
    DepartmentKindRow("tobacco", "烟草专卖局", "北京市烟草专卖局", True),
    DepartmentKindRow("commerce", "商务局", "北京市商务局", True),
    DepartmentKindRow("publicity", "委宣传部", "中共北京市委宣传部", True),
    DepartmentKindRow("water", "水务局", "北京市水务局", True),
    DepartmentKindRow("ecology_environment", "生态环境局", "北京市生态环境局", True),
    DepartmentKindRow(
        "housing_construction", "住房和城乡建设委员会", "北京市住房和城乡建设委员会", True
    ),
    DepartmentKindRow("education", "教育委员会", "北京市教育委员会", True),
    DepartmentKindRow("civil_affairs", "民政局", "北京市民政局", True),
    DepartmentKindRow("transport", "交通委员会", "北京市交通委员会", True),
    DepartmentKindRow(
        "human_resources", "人力资源和社会保障局", "北京市人力资源和社会保障局", True
    ),
    DepartmentKindRow("emergency_management", "应急管理局", "北京市应急管理局", True),
    DepartmentKindRow("agriculture", "农业农村局", "北京市农业农村局", True),
    DepartmentKindRow(
        "planning_resources", "规划和自然资源分局", "北京市规划和自然资源委员会", True
    ),
    DepartmentKindRow("drug_administration", "药品监督管理局", "北京市药品监督管理局", False),
    DepartmentKindRow("postal", "邮政管理局", "北京市邮政管理局", False),
)
