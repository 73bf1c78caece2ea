from ninja import NinjaAPI

api = NinjaAPI(title="Gongkai API", version="1")
