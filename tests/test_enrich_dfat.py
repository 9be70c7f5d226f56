# ruff: noqa: E501
# (the hand-checked sample below is data: file paths, one pair a line)
"""The DFAT cables and letters (../shared/eval/dfat): reply links found, a hand-checked sample of
them, and the clustering of senders' and recipients' names.

The sample: 100 reply links drawn at random (seed 17) from the 371 this code found on 2026-11-29,
each checked by hand by reading its evidence sentence, the target letter and, where the edition
gives one, its footnote naming the document meant. Two were wrong: the "[1]" of "your telegram
[1]" was read as cable number 1 (since fixed: a bracketed number there is a footnote mark), and
"your telegram of March 23rd", which the editors' note says means Lyons's cable of 21 March.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

import letterbook
from letterbook.enrich import enrich
from letterbook.enrich.ids import letter_key
from letterbook.enrich.people import PersonIndex
from letterbook.model import Letter

# (letter, the letter its reply-to link points to, whether that is right), paths under dfat/.
CHECKED: list[tuple[str, str, bool]] = [
    ('volume-5-1941-july-1942-june/464-mr-john-curtin-prime-minister-to-dr-h-v-evatt-minister-for-external-affairs-in-washington.md',
     'volume-5-1941-july-1942-june/246-dr-h-v-evatt-minister-for-external-affairs-to-mr-r-g-casey-minister-to-the-united-states.md', False),
    ('volume-5-1941-july-1942-june/238-mr-john-curtin-prime-minister-to-mr-r-g-casey-minister-to-the-united-states.md',
     'volume-5-1941-july-1942-june/236-mr-r-g-casey-minister-to-the-united-states-to-department-of-external-affairs.md', True),
    ('volume-3-1940-january-june/301-mr-r-g-casey-minister-to-the-united-states-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/290-mr-s-m-bruce-high-commissioner-in-london-to-mr-f-k-officer-counsellor-of-the-legation-in-washington.md', True),
    ('volume-5-1941-july-1942-june/125-dr-h-v-evatt-minister-for-external-affairs-to-mr-r-g-casey-minister-to-the-united-states.md',
     'volume-5-1941-july-1942-june/123-mr-r-g-casey-minister-to-the-united-states-to-mr-john-curtin-prime-minister-and-to-dr-h-v-evatt-minister-for-external-affairs.md', True),
    ('volume-3-1940-january-june/278-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md',
     'volume-3-1940-january-june/259-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-10-1946-july-december/298-makin-to-evatt.md',
     'volume-10-1946-july-december/288-evatt-to-makin.md', True),
    ('volume-8-1945/451-addison-to-commonwealth-government.md',
     'volume-8-1945/434-commonwealth-government-to-addison-and-fraser.md', True),
    ('volume-8-1945/448-eastman-to-department-of-external-affairs.md',
     'volume-8-1945/437-department-of-external-affairs-to-eastman.md', True),
    ('volume-5-1941-july-1942-june/490-dr-h-v-evatt-minister-for-external-affairs-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/487-mr-john-curtin-prime-minister-to-dr-h-v-evatt-minister-for-external-affairs-in-london.md', True),
    ('volume-8-1945/291-chifley-to-attlee.md',
     'volume-8-1945/284-attlee-to-chifley.md', True),
    ('volume-3-1940-january-june/226-mr-a-eden-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-3-1940-january-june/215-mr-r-g-menzies-prime-minister-to-mr-a-eden-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-1-1937-38/8-mr-j-a-lyons-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-1-1937-38/7-mr-s-m-bruce-high-commissioner-in-london-to-mr-j-a-lyons-prime-minister.md', True),
    ('volume-1-1937-38/161-mr-n-chamberlain-u-k-prime-minister-to-mr-j-a-lyons-prime-minister.md',
     'volume-1-1937-38/151-mr-j-a-lyons-prime-minister-to-mr-n-chamberlain-u-k-prime-minister.md', False),
    ('volume-3-1940-january-june/185-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/170-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-5-1941-july-1942-june/165-mr-s-m-bruce-high-commissioner-in-the-united-kingdom-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/156-mr-john-curtin-prime-minister-to-mr-s-m-bruce-high-commissioner-in-the-united-kingdom.md', True),
    ('volume-5-1941-july-1942-june/254-mr-winston-churchill-u-k-prime-minister-in-the-united-states-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/237-mr-john-curtin-prime-minister-to-mr-r-g-casey-minister-to-the-united-states.md', True),
    ('volume-3-1940-january-june/190-mr-a-eden-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-3-1940-january-june/188-commonwealth-government-to-mr-a-eden-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-5-1941-july-1942-june/416-mr-john-curtin-prime-minister-to-mr-r-g-casey-minister-to-the-united-states.md',
     'volume-5-1941-july-1942-june/414-mr-r-g-casey-minister-to-the-united-states-to-mr-john-curtin-prime-minister.md', True),
    ('volume-3-1940-january-june/337-high-commissioner-s-office-in-london-to-prime-minister-s-department.md',
     'volume-3-1940-january-june/296-prime-minister-s-department-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-8-1945/24-commonwealth-government-to-cranborne.md',
     'volume-8-1945/22-cranborne-to-commonwealth-government.md', True),
    ('volume-8-1945/371-smuts-to-makin.md',
     'volume-8-1945/355-makin-to-smuts.md', True),
    ('volume-5-1941-july-1942-june/222-mr-r-g-casey-minister-to-the-united-states-to-department-of-external-affairs.md',
     'volume-5-1941-july-1942-june/214-mr-john-curtin-prime-minister-to-mr-r-g-casey-minister-to-the-united-states.md', True),
    ('volume-10-1946-july-december/198-department-of-external-affairs-to-australian-delegation-united-nations.md',
     'volume-10-1946-july-december/193-australian-delegation-united-nations-to-department-of-external-affairs.md', True),
    ('volume-5-1941-july-1942-june/524-mr-john-curtin-prime-minister-to-dr-h-v-evatt-minister-for-external-affairs-in-washington.md',
     'volume-5-1941-july-1942-june/520-dr-h-v-evatt-minister-for-external-affairs-to-commonwealth-government.md', True),
    ('volume-1-1937-38/208-mr-torao-wakamatsu-japanese-consul-general-in-sydney-to-mr-j-a-lyons-prime-minister.md',
     'volume-1-1937-38/203-mr-j-a-lyons-prime-minister-to-mr-torao-wakamatsu-japanese-consul-general-in-sydney.md', True),
    ('volume-10-1946-july-december/208-strahan-to-garnett.md',
     'volume-10-1946-july-december/99-garnett-to-strahan.md', True),
    ('volume-10-1946-july-december/52-chifley-to-williams.md',
     'volume-10-1946-july-december/38-williams-to-chifley.md', True),
    ('volume-10-1946-july-december/238-evatt-to-bailey.md',
     'volume-10-1946-july-december/236-bailey-to-evatt.md', True),
    ('volume-5-1941-july-1942-june/48-mr-s-m-bruce-high-commissioner-in-the-united-kingdom-to-mr-r-g-menzies-prime-minister.md',
     'volume-5-1941-july-1942-june/36-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-the-united-kingdom.md', True),
    ('volume-5-1941-july-1942-june/56-commonwealth-government-to-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs.md',
     'volume-5-1941-july-1942-june/52-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md', True),
    ('volume-3-1940-january-june/111-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md',
     'volume-3-1940-january-june/27-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-3-1940-january-june/444-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/438-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-8-1945/464-commonwealth-government-to-addison.md',
     'volume-8-1945/450-addison-to-commonwealth-government.md', True),
    ('volume-10-1946-july-december/141-killearn-to-evatt.md',
     'volume-10-1946-july-december/133-evatt-to-killearn.md', True),
    ('volume-8-1945/388-addison-to-commonwealth-government.md',
     'volume-8-1945/374-commonwealth-government-to-addison.md', True),
    ('volume-1-1937-38/232-lord-stanley-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-1-1937-38/230-mr-j-a-lyons-prime-minister-to-lord-stanley-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-3-1940-january-june/317-lord-caldecote-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-3-1940-january-june/294-commonwealth-government-to-mr-w-s-churchill-u-k-prime-minister.md', True),
    ('volume-5-1941-july-1942-june/232-mr-s-m-bruce-high-commissioner-in-the-united-kingdom-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/225-mr-john-curtin-prime-minister-to-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-1-1937-38/283-lt-col-w-r-hodgson-secretary-of-department-of-external-affairs-to-mr-f-k-officer-australian-counsellor-at-british-embassy-in-washington.md',
     'volume-1-1937-38/282-mr-f-k-officer-australian-counsellor-at-british-embassy-in-washington-to-lt-col-w-r-hodgson-secretary-of-department-of-external-affairs.md', True),
    ('volume-5-1941-july-1942-june/431-mr-winston-churchill-u-k-prime-minister-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/427-mr-john-curtin-prime-minister-to-mr-winston-churchill-u-k-prime-minister.md', True),
    ('volume-5-1941-july-1942-june/367-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/366-mr-john-curtin-prime-minister-to-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-8-1945/272-evatt-to-chifley.md',
     'volume-8-1945/236-chifley-to-bruce.md', True),
    ('volume-8-1945/151-bruce-to-evatt.md',
     'volume-8-1945/142-evatt-to-bruce.md', True),
    ('volume-10-1946-july-december/223-department-of-external-affairs-to-australian-delegation-united-nations.md',
     'volume-10-1946-july-december/221-australian-delegation-united-nations-to-department-of-external-affairs.md', True),
    ('volume-8-1945/260-dunk-to-evatt.md',
     'volume-8-1945/253-evatt-to-dunk.md', True),
    ('volume-8-1945/256-chifley-to-attlee.md',
     'volume-8-1945/186-attlee-to-chifley.md', True),
    ('volume-3-1940-january-june/457-mr-j-mcewen-minister-for-external-affairs-to-mr-m-akiyama-japanese-consul-general-in-australia.md',
     'volume-3-1940-january-june/453-mr-m-akiyama-japanese-consul-general-in-australia-to-mr-j-mcewen-minister-for-external-affairs.md', True),
    ('volume-1-1937-38/136-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs-to-mr-j-a-lyons-prime-minister.md',
     'volume-1-1937-38/135-mr-j-a-lyons-prime-minister-to-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-5-1941-july-1942-june/270-dr-h-v-evatt-minister-for-external-affairs-to-mr-r-g-casey-minister-to-the-united-states.md',
     'volume-5-1941-july-1942-june/268-mr-r-g-casey-minister-to-the-united-states-to-department-of-external-affairs.md', True),
    ('volume-5-1941-july-1942-june/141-mr-john-curtin-prime-minister-to-mr-r-g-casey-minister-to-the-united-states.md',
     'volume-5-1941-july-1942-june/140-mr-r-g-casey-minister-to-the-united-states-to-mr-john-curtin-prime-minister-and-to-dr-h-v-evatt-minister-for-external-affairs.md', True),
    ('volume-5-1941-july-1942-june/82-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-5-1941-july-1942-june/62-mr-a-w-fadden-prime-minister-to-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-1-1937-38/197-mr-j-a-lyons-prime-minister-to-mr-torao-wakamatsu-japanese-consul-general-in-sydney.md',
     'volume-1-1937-38/178-mr-torao-wakamatsu-japanese-consul-general-in-sydney-to-mr-j-a-lyons-prime-minister.md', True),
    ('volume-3-1940-january-june/71-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/16-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-1-1937-38/197-mr-j-a-lyons-prime-minister-to-mr-torao-wakamatsu-japanese-consul-general-in-sydney.md',
     'volume-1-1937-38/184-mr-torao-wakamatsu-japanese-consul-general-in-sydney-to-mr-j-a-lyons-prime-minister.md', True),
    ('volume-5-1941-july-1942-june/373-sir-earle-page-special-representative-in-the-united-kingdom-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/370-mr-john-curtin-prime-minister-to-sir-earle-page-special-representative-in-the-united-kingdom.md', True),
    ('volume-5-1941-july-1942-june/142-mr-john-curtin-prime-minister-to-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs.md',
     'volume-5-1941-july-1942-june/139-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs-to-mr-john-curtin-prime-minister.md', True),
    ('volume-8-1945/103-chifley-to-forde-and-evatt.md',
     'volume-8-1945/102-forde-and-evatt-to-chifley.md', True),
    ('volume-1-1937-38/122-mr-j-a-lyons-prime-minister-to-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs.md',
     'volume-1-1937-38/121-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs-to-mr-j-a-lyons-prime-minister.md', True),
    ('volume-5-1941-july-1942-june/226-dr-h-v-evatt-minister-for-external-affairs-to-mr-r-g-casey-minister-to-the-united-states.md',
     'volume-5-1941-july-1942-june/223-mr-r-g-casey-minister-to-the-united-states-to-department-of-external-affairs.md', True),
    ('volume-3-1940-january-june/164-department-of-external-affairs-to-mr-r-g-casey-minister-to-the-united-states.md',
     'volume-3-1940-january-june/160-mr-r-g-casey-minister-to-the-united-states-to-department-of-external-affairs.md', True),
    ('volume-1-1937-38/92-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-1-1937-38/88-commonwealth-government-to-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-5-1941-july-1942-june/536-mr-john-curtin-prime-minister-to-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs.md',
     'volume-5-1941-july-1942-june/534-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs-to-mr-john-curtin-prime-minister.md', True),
    ('volume-3-1940-january-june/116-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md',
     'volume-3-1940-january-june/112-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-8-1945/434-commonwealth-government-to-addison-and-fraser.md',
     'volume-8-1945/354-addison-to-commonwealth-government.md', True),
    ('volume-5-1941-july-1942-june/469-dr-h-v-evatt-minister-for-external-affairs-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/456-mr-john-curtin-prime-minister-to-dr-h-v-evatt-minister-for-external-affairs-in-washington.md', True),
    ('volume-3-1940-january-june/89-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/42-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-1-1937-38/205-sir-earle-page-minister-for-commerce-to-mr-j-a-lyons-prime-minister.md',
     'volume-1-1937-38/201-mr-j-a-lyons-prime-minister-to-sir-earle-page-minister-for-commerce.md', True),
    ('volume-3-1940-january-june/207-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md',
     'volume-3-1940-january-june/189-prime-minister-s-department-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-1-1937-38/215-sir-earle-page-minister-for-commerce-in-london-to-lord-chatfield-first-sea-lord-and-chief-of-naval-staff.md',
     'volume-1-1937-38/214-lord-chatfield-first-sea-lord-and-chief-of-naval-staff-to-sir-earle-page-minister-for-commerce-in-london.md', True),
    ('volume-3-1940-january-june/222-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/187-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-10-1946-july-december/44-chifley-to-evatt.md',
     'volume-10-1946-july-december/30-evatt-to-chifley.md', True),
    ('volume-5-1941-july-1942-june/534-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/530-mr-john-curtin-prime-minister-to-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-8-1945/329-department-of-external-affairs-to-hood.md',
     'volume-8-1945/323-hood-to-burton.md', True),
    ('volume-5-1941-july-1942-june/525-mr-john-curtin-prime-minister-to-dr-h-v-evatt-minister-for-external-affairs-in-washington.md',
     'volume-5-1941-july-1942-june/523-dr-h-v-evatt-minister-for-external-affairs-to-mr-john-curtin-prime-minister.md', True),
    ('volume-10-1946-july-december/159-mcfarlane-to-coombs.md',
     'volume-10-1946-july-december/154-coombs-to-wheeler-and-melville.md', True),
    ('volume-3-1940-january-june/189-prime-minister-s-department-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/139-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-3-1940-january-june/304-lord-caldecote-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-3-1940-january-june/294-commonwealth-government-to-mr-w-s-churchill-u-k-prime-minister.md', True),
    ('volume-3-1940-january-june/55-mr-m-j-savage-n-z-prime-minister-to-commonwealth-government.md',
     'volume-3-1940-january-june/51-commonwealth-government-to-mr-m-j-savage-n-z-prime-minister.md', True),
    ('volume-3-1940-january-june/347-mr-r-g-casey-minister-to-the-united-states-to-mr-s-m-bruce-high-commissioner-in-london.md',
     'volume-3-1940-january-june/346-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-casey-minister-to-the-united-states.md', True),
    ('volume-10-1946-july-december/288-evatt-to-makin.md',
     'volume-10-1946-july-december/276-australian-delegation-united-nations-to-department-of-external-affairs.md', True),
    ('volume-3-1940-january-june/451-mr-r-g-menzies-prime-minister-to-mr-w-a-johnston-u-k-consul-in-noumea.md',
     'volume-3-1940-january-june/428-mr-w-a-johnston-u-k-consul-in-noumea-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-1-1937-38/331-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md',
     'volume-1-1937-38/326-mr-j-a-lyons-prime-minister-to-mr-m-macdonald-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-3-1940-january-june/219-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md',
     'volume-3-1940-january-june/214-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-3-1940-january-june/452-mr-r-g-menzies-prime-minister-to-lord-caldecote-u-k-secretary-of-state-for-dominion-affairs.md',
     'volume-3-1940-january-june/445-lord-caldecote-u-k-secretary-of-state-for-dominion-affairs-to-mr-r-g-menzies-prime-minister.md', True),
    ('volume-1-1937-38/126-mr-s-m-bruce-high-commissioner-in-london-to-mr-j-a-lyons-prime-minister.md',
     'volume-1-1937-38/125-mr-j-a-lyons-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-8-1945/205-addison-to-commonwealth-government.md',
     'volume-8-1945/161-commonwealth-government-to-addison.md', True),
    ('volume-5-1941-july-1942-june/85-commonwealth-government-to-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs.md',
     'volume-5-1941-july-1942-june/82-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs-to-commonwealth-government.md', True),
    ('volume-8-1945/225-addison-to-commonwealth-government.md',
     'volume-8-1945/221-commonwealth-government-to-addison.md', True),
    ('volume-5-1941-july-1942-june/357-mr-john-curtin-prime-minister-to-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs.md',
     'volume-5-1941-july-1942-june/352-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs-to-mr-john-curtin-prime-minister.md', True),
    ('volume-5-1941-july-1942-june/61-mr-a-w-fadden-prime-minister-to-sir-john-latham-minister-to-japan.md',
     'volume-5-1941-july-1942-june/55-sir-john-latham-minister-to-japan-to-department-of-external-affairs.md', True),
    ('volume-8-1945/246-evatt-to-chifley-and-beasley.md',
     'volume-8-1945/240-chifley-to-attlee.md', True),
    ('volume-1-1937-38/203-mr-j-a-lyons-prime-minister-to-mr-torao-wakamatsu-japanese-consul-general-in-sydney.md',
     'volume-1-1937-38/184-mr-torao-wakamatsu-japanese-consul-general-in-sydney-to-mr-j-a-lyons-prime-minister.md', True),
    ('volume-10-1946-july-december/67-evatt-to-chifley.md',
     'volume-10-1946-july-december/60-chifley-to-evatt.md', True),
    ('volume-8-1945/268-duncan-to-chifley.md',
     'volume-8-1945/233-chifley-to-bruce.md', True),
    ('volume-3-1940-january-june/201-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md',
     'volume-3-1940-january-june/185-mr-r-g-menzies-prime-minister-to-mr-s-m-bruce-high-commissioner-in-london.md', True),
    ('volume-1-1937-38/260-mr-a-t-stirling-external-affairs-officer-in-london-to-department-of-external-affairs.md',
     'volume-1-1937-38/259-lt-col-w-r-hodgson-secretary-of-department-of-external-affairs-to-mr-a-t-stirling-external-affairs-officer-in-london.md', True),
    ('volume-5-1941-july-1942-june/389-mr-john-curtin-prime-minister-to-sir-earle-page-special-representative-in-the-united-kingdom.md',
     'volume-5-1941-july-1942-june/372-sir-earle-page-special-representative-in-the-united-kingdom-to-mr-john-curtin-prime-minister.md', True),
    ('volume-1-1937-38/137-mr-j-a-lyons-prime-minister-to-mr-n-chamberlain-u-k-prime-minister.md',
     'volume-1-1937-38/134-mr-n-chamberlain-u-k-prime-minister-to-mr-j-a-lyons-prime-minister.md', True),
    ('volume-5-1941-july-1942-june/466-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs-to-mr-john-curtin-prime-minister.md',
     'volume-5-1941-july-1942-june/465-mr-john-curtin-prime-minister-to-mr-clement-attlee-u-k-secretary-of-state-for-dominion-affairs.md', True),
    ('volume-8-1945/362-addison-to-commonwealth-government.md',
     'volume-8-1945/265-chifley-to-addison.md', True),
]


_READ: dict[Path, list[Letter]] = {}  # the letters are read once for the module's tests


@pytest.fixture
def dfat_letters(shared_path: Callable[..., Path]) -> list[Letter]:
    folder = shared_path("eval", "dfat")
    if folder not in _READ:
        letters: list[Letter] = []
        for path in sorted(folder.rglob("*.md")):
            letters.extend(letterbook.read(path))
        _READ[folder] = letters
    return _READ[folder]


def _short(key: str) -> str:
    return key.split("/dfat/", 1)[-1].split("#", 1)[0]


def test_the_sample_was_checked_by_hand_and_holds_precision() -> None:
    assert len(CHECKED) == 100
    right = sum(1 for *_, ok in CHECKED if ok)
    print(f"\nDFAT reply links: hand-checked sample precision {right}/100")
    assert right / len(CHECKED) >= 0.9


def test_reply_links_found_and_the_right_ones_still_found(dfat_letters: list[Letter]) -> None:
    result = enrich(dfat_letters)
    found = {(_short(key), _short(link.target or "")) for key, links in result.links.items()
             for link in links if link.rel == "reply-to"}
    counts = Counter(link.rel for links in result.links.values() for link in links)
    print(f"\nDFAT: {counts['reply-to']} reply links, {counts['refers-to']} references, "
          f"{counts['next-in-correspondence']} correspondence steps, in {len(dfat_letters)} letters")
    assert counts["reply-to"] >= 300
    assert counts["replied-by"] == counts["reply-to"]
    missing = [(a, b) for a, b, ok in CHECKED if ok and (a, b) not in found]
    assert not missing, missing
    wrong_found = [(a, b) for a, b, ok in CHECKED if not ok and (a, b) in found]
    assert len(wrong_found) <= 1
    for links in result.links.values():
        for link in links:
            if link.rel == "reply-to":
                assert link.evidence and link.confidence is not None and 0 < link.confidence <= 1


def test_every_bruce_of_volume_17_is_s_m_bruce(dfat_letters: list[Letter]) -> None:
    index = PersonIndex.build(dfat_letters)
    volume = [lt for lt in dfat_letters if "volume-17-" in lt.source.path]
    bruces = set()
    for letter in volume:
        for _, ref in index.party_refs(letter):
            if "Bruce" in ref.name or "bruce" in ref.id:
                bruces.add(ref.id)
    assert len(bruces) == 1
    person = index.persons[bruces.pop()]
    assert person.name == "S. M. Bruce"
    assert {"S. M. Bruce", "Bruce"} <= set(person.forms)
    # Across all volumes too: "Bruce to Curtin" (1945) is the same High Commissioner.
    every = {ref.id for lt in dfat_letters for _, ref in index.party_refs(lt) if ref.name.endswith("Bruce")}
    assert every == {person.id}


def test_caseys_are_not_merged_without_cause(dfat_letters: list[Letter]) -> None:
    index = PersonIndex.build(dfat_letters)
    caseys = [p for p in index if p.key is not None and p.key.surname == "casey"]
    assert len(caseys) == 1  # R. G. Casey: "R. G.", "Richard Gardiner" and the signature "R.C. CASEY"
    casey = caseys[0]
    assert {"R. G. Casey", "Richard Gardiner Casey"} <= set(casey.forms)
    doubtful = [m for m in casey.merges if m.form == "R. C. Casey"]
    assert doubtful and doubtful[0].confidence < 0.7 and "S. M. Bruce" in doubtful[0].reason
    # Dermot Casey (a private secretary the notes name) and Jane Casey are other people: a
    # text naming them is never resolved to R. G. Casey.
    for other in ("Dermot Casey", "Jane Alice Camilla Casey"):
        ref = index.resolve(letterbook.Agent(name=other))
        assert ref is None or ref.id != casey.id
    # A Casey with other initials and no shared correspondent stays apart.
    stranger = Letter(source=letterbook.Source(path="x.md"), sender=letterbook.Agent(name="P. J. Casey"),
                      recipients=[letterbook.Agent(name="Somebody Else")],
                      date=letterbook.When(when="1901-01-01"))
    both = PersonIndex.build([*dfat_letters, stranger])
    assert both.resolve(stranger.sender, stranger).id != casey.id  # type: ignore[union-attr]


def test_letter_keys_are_the_files(dfat_letters: list[Letter]) -> None:
    assert all(letter_key(lt).endswith("#0") for lt in dfat_letters[:5])
