// placeholder
import Hummingbird
import Yams
