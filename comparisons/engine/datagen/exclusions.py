"""Pairs the generator never emits: those of the committed golden set and of the shared evaluation file.

Both are evaluation only, so they stay out of every training set, even where a real name's simple variant happens
to be one of their pairs (``Apple Inc.`` / ``Apple Incorporated``).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from comparisons.engine.datagen.names import DATA_DIR

GOLDEN_CSV = DATA_DIR / "golden_pairs.csv"


def squash(text: str) -> str:
    return " ".join(text.split())


def pair_key(a: str, b: str) -> tuple[str, str]:
    a, b = squash(a).casefold(), squash(b).casefold()
    return (a, b) if a <= b else (b, a)


# SHA-1 prefixes (12 hex) of the pairs of the shared evaluation file dev_pairs.csv (key: both names
# whitespace-squashed and casefolded, sorted, joined by U+001F). The generator never emits one of them, so
# that evaluation set stays out of every training set even where a real name's simple variant happens to be
# one of its pairs (``Apple Inc.`` / ``Apple Incorporated``). Only hashes: the file itself is never read
# here. Recompute with ``python -m comparisons.engine.datagen --hash-pairs PATH``.
EXCLUDED_PAIR_HASHES = frozenset(
    (
        "0012a53a5cc2 00130c6d0965 00187023727b 0040e5d8c1f3 0061493e35f8 0075693d1dd0 00770f22704b 007ab639e4ac "
        "0257a5f85c74 02866adaf8e1 03495da534de 037501ada3f7 039188ab36da 043cf2ffa3c2 046ad4bedd79 0473dd5e11d9 "
        "048328fe7d1e 049747906175 04ea4964cd2e 058d3b9a45a2 0674ead3b028 07293ba59620 07c75a28b403 08318198f4f4 "
        "08783743b407 08976a962caa 089a6d70bcd4 08af88132c30 08c8ba6f578a 0931e45c0f1f 0966ae2cb53a 09a5aaf25053 "
        "09af3f1c73e5 0a41ada09ddb 0b87bd73b6bb 0b97494e0536 0be7e256c07a 0c611ce07581 0c7ee547bee3 0c98ddf51acf "
        "0cc7bd4bf5f6 0da9a8984ba2 0dfa3b81a803 0e0ec2f7d5cc 0e1a4678a373 0e1a8f761546 0e3cfc128e6c 0eb0ecf801e2 "
        "0ee30c79e8b1 0f3eb38881c0 0f465f268ff0 0f6b26a15b97 0fb378f0839c 0fddeb6d2b6b 10255d6473fb 10491297f104 "
        "105de6748d8e 10fc88811b96 111a6d992857 1127b1571e6b 11453087e40c 118c86805c57 11c4651d9987 123ba1c17d25 "
        "125b69d13c04 12885fb3dd1f 1292d5f86d02 13b4567ab77d 13bfb3822876 13e4f94ee926 140e0631ed5b 1451c3999d64 "
        "1498896c8161 14b8998a8a8a 16367c2a9e89 16a4e456273d 172420880525 17447d48d543 174fd0d04ad6 17538289566e "
        "17ddd4d8d3cc 17ef8f194f65 1808ee5bbc93 18653ead3218 198d1054cf4d 1a2e1423f0a6 1a3a43312190 1a755ae8eeed "
        "1aa067c92cb5 1aa7ea74b1f6 1ac10d993261 1aeaa444e34e 1bb7cb123537 1c2a4ce0aa20 1c6da50a0ab3 1cbe013c6247 "
        "1ccfbcefa489 1d0078e0918c 1de552e84026 1debad7e792c 1df149e70333 1e1674006c58 1e7b70b63ed3 1eabeb31ba1f "
        "1ec5d5c23ddb 1ef6d24c4795 1efc8fb618cd 1f08e4ba07f8 1f0ee53db21f 1f330e19a06c 201c9849195b 20456c1ba5c2 "
        "20595f6d1ba9 207790e0b2f0 209cb15eb1f0 217bf002f108 229686ca8663 22d62b7bbdd2 23063dde7705 233e8f090a9e "
        "234db7973d9e 23fac34a38ee 241104942230 24b9cef7f8bb 24c0b8c157c9 24d8a032e337 24e479773e19 2558bce0bd41 "
        "2588ed5140ad 25c842f0de78 25f6e71d38a1 25fdc55cb8b2 261e93f75cdf 26c764e05f01 26d00f159d6d 2742382039b9 "
        "275b8eaa03df 27ec982ec391 289f18c253c3 28b5fcbec01e 28baf3fb8d3b 28c133497a56 28fe066267fd 29302c843915 "
        "2960b7702dd3 297b5d8e8bcb 29fd5ade8f3e 2a64fc1b7542 2ac5a885c1e2 2b1657109ffd 2b90b03dcfc5 2c1ad55075a7 "
        "2c5c668d328a 2c8cd895576b 2ce7c15fbd2d 2d03b4e3bda2 2dcdf17a0046 2ebb9fd6157d 2ed78f8876cb 2f4f29e00265 "
        "2f5ec0c0ba0c 2f84047f6fab 2fe39748b610 301768e4c436 305f06ff9c74 3122dcd38854 314973b635ce 3170087b8816 "
        "31dbf1cc7dd1 31e332002b28 32d487b04cc7 3313f8151b9d 33b94eef6f54 33e46aad3e82 345ab1471325 34fb1a5223e2 "
        "353b320c8b6b 35428f3ffcab 35567af38f74 35cc4f6fa6ad 35f63297f812 3736b98fad18 37c0af61d167 3816ec57a39c "
        "386d3793a673 387b896891d4 39278569a500 3961e99efcfe 3967019d7ea6 39fed7417eaf 3a57637dae57 3a99b948cc2c "
        "3ab5c8daa1d2 3ac93fc09b57 3b09bd27b28a 3b40c63a9dc5 3b9c607df95f 3c18a1019882 3c6cfebc7034 3c739f1c38e7 "
        "3c931a8631ae 3c9d9f1a748d 3d585fe3e68c 3d7e22aafd87 3dc72d756d14 3de08b771740 3e43948febb5 3e7e1778dce8 "
        "3ee3df56d05c 3ef2d3542b78 3f10579f70e2 3f53fd1ce0dc 3facb5d23935 403c5558856a 405d2670ef08 405dc39deb79 "
        "4156016a114f 41bf9cb57a39 420c4caeb2c7 422da500d325 425ab445a506 4262cc411fbd 42f431ae3bce 4330aa899e19 "
        "43814be3a408 43ca259ebc42 43cbc94f33ef 43fe97b29779 440e73c9392b 4440907827e4 445c3b3ba803 44ec9db6d01d "
        "4547d822b704 45c3ad75de8d 45ed117f579a 45fdcbb58f2e 4640aa5b7b1b 4690fb738dcb 46915b6b793f 46b88fcb6a12 "
        "470be62bf183 4729f9375c68 47a318b954f9 48303cfa702a 4890fa53f316 48ae4baea9a8 48b848834695 497fab06e052 "
        "4a26d36e0d42 4a4cd3a80751 4ae3b044903c 4b6f800d438a 4b96bb61666c 4c35a98e4b02 4cd1dbe17ef9 4cf907956e2a "
        "4ee750eb90d9 4f9a1c07f141 4fc35bb51866 4ffba51bfd92 50ccd46a8717 50d0bd6c5a51 517b2583d554 52020a47b1d0 "
        "52b40d0450b2 52c9113dbfb3 52c9bc5e69b3 52fd6c8ff831 52ff566f2b50 530057984564 5353d772e3d5 539359279d06 "
        "546cce4b4ded 54f7ac54674c 5532607a0b2e 553ab0cf82df 55a5e36dfa38 55aa583a6797 563811f76b5b 565304c2491b "
        "565842ee3711 565efd9c6b4b 56717fcac94e 569e8f307d99 570186305b18 57d79824d142 58081c401041 587d2d24cf3b "
        "58d6c1b7db0a 5938647ea954 597a239a258f 59c0e420ce22 5a0561e3fb9f 5a210fe99424 5a655b1fb811 5a793c1fb58b "
        "5a995cff840f 5b24104dc85a 5b622153c4e8 5c116caf43da 5c154a360576 5c4f43550c04 5ca8bb6d3a89 5ce9baeb45cb "
        "5d5827f77055 5d93445a3276 5e5fdeeb92f0 5e7b4f0d1c51 5ed722cf27cf 5f0fa4bdac6d 5f12163db788 60e0c9d1ac16 "
        "60f3e7822311 61762106ccd9 61f98a20b001 62564773e5de 62d4a3b7975f 63aae572c79f 63acd384e021 63e44be23a2b "
        "64585d9bdc2f 647098897634 650268edbe1b 65327130006e 658803bbe9d1 65a6e950f207 65b1a546c63c 66152f2fdc63 "
        "661a2e0d90b8 6672d8d35ef7 67086cbb10a4 67115a042396 6719a6088bae 6723b438ac3e 67769cb25b13 678df0b1a261 "
        "67bd0d0c8b38 691db76d4475 693508812b77 6a606e2da211 6a876f911c81 6bad1adb7ec2 6c17b0eebbb6 6c6faeaf5813 "
        "6ccc4308e3a7 6cccb039ddbe 6ce3c71145d8 6d1d9c7d47ad 6d5192e4d4d3 6d55af986017 6d5f37dc4fca 6db19153f531 "
        "6de040cc31b6 6e56d53716fb 6ebc6dbaab3f 6f1a0052fd45 6f2d1168ea31 6f4f94ea00b1 70d65eca7d12 718202091edc "
        "7204926787f1 727149f83914 72b84a8abb34 7348f6239422 735007908579 74f6034afbc1 75232c150b57 7637ee3e9bad "
        "76efc393bde9 771503930591 773f52d9048f 7742d53eb1eb 782dc3fe5cd0 785dfe490aa0 7862dc255ac2 786eaca48673 "
        "78f4b4a69b5f 799dabc3a3ee 799e1faee3e6 79d4ab6154fa 7b23ecef9409 7b4899be751a 7c4ee5218815 7cb528a6638b "
        "7cb93c087d41 7cedacc83fda 7dee05d6a6e1 7e39d99de61a 7f25ee203e72 7fd9efc7c10f 7fed9ea7de05 809060c5c744 "
        "81094267be74 8123af9425f9 81da0a4f1b61 81e41ba8a917 824aad31ad35 825322f556b4 829f82c71016 8385527717bf "
        "8396dead6830 848721a719be 84c1e6816a85 853c68c9f57e 854996df1447 85affaf505ae 85d9758e3855 85f2fb99180f "
        "86504fda77f1 86694b55045b 867140e6b67f 86e478ff99d4 873180e2b5ba 87b57a5f41b8 8831c67d68dd 88371b85326f "
        "88c2bbc668d0 88c7396b9bee 89a51d36aa65 89b59186906a 89f8bec8665b 8a0c1efc269b 8a45e21cd36f 8a4673239645 "
        "8a8078d18c6b 8a8821cd850c 8a884197092d 8aca77f5c25c 8af54f1e223c 8b21356946c3 8b40bb90ce70 8b42a54c60d7 "
        "8b84d084ebe0 8b9f2ce24d77 8bdf9baaa285 8c5e899092a4 8ca6cc8142ab 8cb040851005 8cc449a9c76c 8cf637f67543 "
        "8d506d775dad 8dae28613bf5 8dcd650fb6eb 8dee1a69b0e8 8e45a83f6278 8eee7efa3538 9077cc8e952d 907eae34d83d "
        "90ddad536100 90ffef1002fc 9143a51b7bb9 914902c04a94 91a078dd5b46 92308a69663f 93e47c782f9c 947b358a43da "
        "949822cf5f14 94d90dab602e 94ec85e31c6f 95206053579f 973dcacf54fd 97432eb38ccb 97496df777e6 9792c2204e22 "
        "980fc02aaffd 9823f9e299e9 9848658e6416 98cdd63becb3 99cd975f7460 99e517b4887f 9a4eaebc23c9 9a97aadc9894 "
        "9a9edf5ee954 9ab564db20a3 9c6c1023239b 9c98e9f6dc1a 9d10885d90df 9d4b2f4fb0af 9d6794ad1a29 9d92bcba6895 "
        "9dab1fe2ac91 9dadb9d9e859 9f65c35009c1 9f6e381badf0 9f75804751fe 9fb4f44a6639 9fbd17ff85ce 9fd8a9d98827 "
        "a045128f1a0e a0680e87595c a0abe66fd654 a0f39a0dca4c a11149b62e47 a19b3cee373e a1a05c456493 a1fa36f4c431 "
        "a3df79f3ea6e a3e3744442f8 a3f4eb055adc a41669148f1d a50b4e26b4c9 a5848cf86a6a a5e61ecd57af a60fbad66971 "
        "a6c72ee65058 a6dd0da72b24 a6ea97193206 a72a43c4c992 a73560da9f38 a7372d8ff8de a7624b9c05fc a8d5b20e8168 "
        "a8e9d154652b a8f7c82c991f a900c602345a a9248ab55bbd a94d5fe62824 a9b983c0b7cb a9d2dec973f1 aa279a2f065b "
        "ab188fadf67e ab34bc5875c0 ab5729a5c909 ab9b058b839e abbf09a399bd abf8a78e1ef0 ace493b703c6 ad9d77eef80c "
        "add6947292b2 ae093c5d335c ae94d41b6405 ae9c7200b3c0 af8217f07875 b0e6ab665e17 b160074a1fe3 b1b548578ce1 "
        "b1d4a7672fb7 b22d99c5bb86 b2da4e9b5eb6 b2eec21bccbd b2f9fcac598f b3116a7926a1 b395d2683722 b3d9c291c0e3 "
        "b45df4e2f5bc b4826daead82 b5645525bb89 b5aa2b350e0e b5de0683b97d b661c4391481 b6b423782837 b6f1b2d28f16 "
        "b8974235cebb b92b2f0b4b8c b93ba82dc844 b93e0c0d4299 b98845710139 b993da8797f4 b9cf9aeccca0 b9d2ed96644e "
        "b9d65dbc7b62 b9e438733874 bac466727f46 baf530974390 bb8c3402f1a7 bcb534411476 bd333870279d bd753157c1dc "
        "bebda9325ce4 bf6a4a95f626 bfb0acab8f9d bff72e995941 bffc778d3e7a c02b63877276 c0b2789204d4 c128d67903e7 "
        "c1d76dbca87b c2b909901b29 c2f694831e2c c31d9fe6ed4a c34d9c5d9e3d c38b14f787e1 c5030e3beee3 c5acf8d68d00 "
        "c5de84e8bcbb c5e38f5fdcfa c653e5e8ac50 c658fe5e07e2 c6eac6b9fa19 c6fc43faed99 c6ff4af47ec9 c76be9888700 "
        "c790ec661b56 c7d8483db9ce c7ebf588f799 c8027e963ab1 c822d2bcfd6c c8777cc065ad c885a87e716a c89802bdcf29 "
        "c90a02655c0c c9395b8fcf79 c9a3af066675 ca7d87d829fc cb43c8b50b3b cbb399d04883 cbe26bb1a2d1 cc1d5a613fc3 "
        "cca34a92d51e cd95bafb2597 cdda9ffb4a67 cdf264fd6354 ce708e91f650 ceb309f6b7cd cf1a70cf4446 cf45b55bf943 "
        "cf53e296d387 cf685a4a792c cfd4121122cf d00ba392d705 d07c39303dfe d0a23b8fd4ba d0b1f77e2232 d0dbd294bc53 "
        "d10c94eb4608 d19b63800bc0 d1e28ae77ce9 d23a02cfcfba d34ebfa64825 d356b1c7f23c d382f4205a64 d3be4ffe6ce1 "
        "d3be8f91e202 d3cc05e8ef1c d401cc912719 d4ee443596bc d598080f5c42 d5b9c8d5f6f0 d5c01928fcef d5cc484dd0cb "
        "d712aa3a5e59 d79feb1cf1e7 d8539b650052 d8db73f9ab3a d9947a2dbad9 d9a1e7ac8b36 d9ca226e4adb d9f0f79904b1 "
        "da26f0fd84c1 db896ae7fb03 db8a0e4ac445 db9e6b57b172 dbf323e34ff2 dc76d1acf129 dc8c3f2fa693 dc8c598958e7 "
        "dd3b56773f9a dd521e9e026c dd5a961544bc de0263a09dae de109f08b77e de31c77359c1 df2406ab4d3b dfb600f0796e "
        "e05f5c43af73 e0aa0600adcd e0c4e2fb527c e0c8ac866988 e0f53c7fe885 e10451b3c6b2 e16d6c3a59d0 e2b538dbe6bb "
        "e2d34d46eac7 e2f51a491991 e31624a180ba e337bfa3a2b8 e39d1bead871 e3aeb5712677 e3cc09a54ec2 e3d9a66963dd "
        "e47773b47ce8 e47b4ef0a2fc e4b03936060e e4d1611c37f1 e55f6f267d88 e5a517a465ae e5acb78edcfa e5b3d6d53364 "
        "e5b601245873 e617da3f4f49 e696f970079a e697465904b2 e6987c851485 e6e8d6fedb05 e82d52767fad e83228cdeff2 "
        "e83bc3a470ee e88b1c1d6961 e8ba0b199fea e8badf091c23 e964242a6137 e978b668a8b7 e9ec382a3c3d e9f7b598bb68 "
        "ea125b0269de ea41cb957f0a eaa4c6b84a9a eb17aab340e3 eb3f5af32001 ebb5d88c124b ebb756de6f49 ebe0206ef673 "
        "ec1f3b3cd33a ecaf909b9bea ece9153adcc9 ed0141aae8f6 ed022ef9a03e ed4ca3fb9e4a ed98b9731b3b eddbc8f09984 "
        "eea2405c4465 ef2af243b6b8 ef5a8fe56215 efbd40b62040 f02dd9f396b4 f0ad0fd8c66b f103b9fe038f f1aa79358a51 "
        "f2c79e5be298 f321bf888574 f32bbc6eed1d f406234eca6f f414c4e67e40 f428e297577e f44634d900b9 f45d4c578e55 "
        "f50eb21e9ab3 f5afb1dbb224 f606a6e7b4f1 f61dd545927f f6b5edaa6026 f6ffda2194f2 f7204e10bae6 f89c15f31f5d "
        "f8da367cf9f7 f8ff4ffe91cc f91a08f8a334 f92ce972a475 f93f7f28d650 f9b1ca784e4a fa3296882a3e fa6e281b61ca "
        "fb097c96affa fbd9e7c2569f fc14fc6f0f8b fc537b8c5d2d fcded6d11bde fcf0d0e3d0c7 fdd95da78e17 fe6317318969 "
        "fe840ea5bf62 "
    ).split()
)


def pair_hash(key: tuple[str, str]) -> str:
    return hashlib.sha1("\x1f".join(key).encode()).hexdigest()[:12]


def hash_pairs_file(path: str | Path) -> list[str]:
    """The exclusion hashes of a ``name1,name2,...`` CSV (to refresh ``EXCLUDED_PAIR_HASHES``)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        return sorted({pair_hash(pair_key(r["name1"], r["name2"])) for r in csv.DictReader(fh)})


def alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def golden_pairs() -> set[tuple[str, str]]:
    """Pairs of the committed golden set: never generated (the golden set is evaluation only)."""
    if not GOLDEN_CSV.is_file():
        return set()
    with GOLDEN_CSV.open(newline="", encoding="utf-8") as fh:
        return {pair_key(r["name1"], r["name2"]) for r in csv.DictReader(fh) if r.get("name1") and r.get("name2")}
