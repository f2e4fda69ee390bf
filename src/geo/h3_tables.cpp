// H3 grid data (see h3_tables.hpp for its origin); the tables are data, not derived here.
#include "h3_tables.hpp"

namespace forgehive::geo::h3_tables {

// Home face and ijk+ position of each base cell; the 12 pentagons sit at icosahedron vertices.
const std::array<BaseCell, 122> kBaseCells = {{
    BaseCell{{1, {1, 0, 0}}, false},  // 0
    BaseCell{{2, {1, 1, 0}}, false},  // 1
    BaseCell{{1, {0, 0, 0}}, false},  // 2
    BaseCell{{2, {1, 0, 0}}, false},  // 3
    BaseCell{{0, {2, 0, 0}}, true},  // 4
    BaseCell{{1, {1, 1, 0}}, false},  // 5
    BaseCell{{1, {0, 0, 1}}, false},  // 6
    BaseCell{{2, {0, 0, 0}}, false},  // 7
    BaseCell{{0, {1, 0, 0}}, false},  // 8
    BaseCell{{2, {0, 1, 0}}, false},  // 9
    BaseCell{{1, {0, 1, 0}}, false},  // 10
    BaseCell{{1, {0, 1, 1}}, false},  // 11
    BaseCell{{3, {1, 0, 0}}, false},  // 12
    BaseCell{{3, {1, 1, 0}}, false},  // 13
    BaseCell{{11, {2, 0, 0}}, true},  // 14
    BaseCell{{4, {1, 0, 0}}, false},  // 15
    BaseCell{{0, {0, 0, 0}}, false},  // 16
    BaseCell{{6, {0, 1, 0}}, false},  // 17
    BaseCell{{0, {0, 0, 1}}, false},  // 18
    BaseCell{{2, {0, 1, 1}}, false},  // 19
    BaseCell{{7, {0, 0, 1}}, false},  // 20
    BaseCell{{2, {0, 0, 1}}, false},  // 21
    BaseCell{{0, {1, 1, 0}}, false},  // 22
    BaseCell{{6, {0, 0, 1}}, false},  // 23
    BaseCell{{10, {2, 0, 0}}, true},  // 24
    BaseCell{{6, {0, 0, 0}}, false},  // 25
    BaseCell{{3, {0, 0, 0}}, false},  // 26
    BaseCell{{11, {1, 0, 0}}, false},  // 27
    BaseCell{{4, {1, 1, 0}}, false},  // 28
    BaseCell{{3, {0, 1, 0}}, false},  // 29
    BaseCell{{0, {0, 1, 1}}, false},  // 30
    BaseCell{{4, {0, 0, 0}}, false},  // 31
    BaseCell{{5, {0, 1, 0}}, false},  // 32
    BaseCell{{0, {0, 1, 0}}, false},  // 33
    BaseCell{{7, {0, 1, 0}}, false},  // 34
    BaseCell{{11, {1, 1, 0}}, false},  // 35
    BaseCell{{7, {0, 0, 0}}, false},  // 36
    BaseCell{{10, {1, 0, 0}}, false},  // 37
    BaseCell{{12, {2, 0, 0}}, true},  // 38
    BaseCell{{6, {1, 0, 1}}, false},  // 39
    BaseCell{{7, {1, 0, 1}}, false},  // 40
    BaseCell{{4, {0, 0, 1}}, false},  // 41
    BaseCell{{3, {0, 0, 1}}, false},  // 42
    BaseCell{{3, {0, 1, 1}}, false},  // 43
    BaseCell{{4, {0, 1, 0}}, false},  // 44
    BaseCell{{6, {1, 0, 0}}, false},  // 45
    BaseCell{{11, {0, 0, 0}}, false},  // 46
    BaseCell{{8, {0, 0, 1}}, false},  // 47
    BaseCell{{5, {0, 0, 1}}, false},  // 48
    BaseCell{{14, {2, 0, 0}}, true},  // 49
    BaseCell{{5, {0, 0, 0}}, false},  // 50
    BaseCell{{12, {1, 0, 0}}, false},  // 51
    BaseCell{{10, {1, 1, 0}}, false},  // 52
    BaseCell{{4, {0, 1, 1}}, false},  // 53
    BaseCell{{12, {1, 1, 0}}, false},  // 54
    BaseCell{{7, {1, 0, 0}}, false},  // 55
    BaseCell{{11, {0, 1, 0}}, false},  // 56
    BaseCell{{10, {0, 0, 0}}, false},  // 57
    BaseCell{{13, {2, 0, 0}}, true},  // 58
    BaseCell{{10, {0, 0, 1}}, false},  // 59
    BaseCell{{11, {0, 0, 1}}, false},  // 60
    BaseCell{{9, {0, 1, 0}}, false},  // 61
    BaseCell{{8, {0, 1, 0}}, false},  // 62
    BaseCell{{6, {2, 0, 0}}, true},  // 63
    BaseCell{{8, {0, 0, 0}}, false},  // 64
    BaseCell{{9, {0, 0, 1}}, false},  // 65
    BaseCell{{14, {1, 0, 0}}, false},  // 66
    BaseCell{{5, {1, 0, 1}}, false},  // 67
    BaseCell{{16, {0, 1, 1}}, false},  // 68
    BaseCell{{8, {1, 0, 1}}, false},  // 69
    BaseCell{{5, {1, 0, 0}}, false},  // 70
    BaseCell{{12, {0, 0, 0}}, false},  // 71
    BaseCell{{7, {2, 0, 0}}, true},  // 72
    BaseCell{{12, {0, 1, 0}}, false},  // 73
    BaseCell{{10, {0, 1, 0}}, false},  // 74
    BaseCell{{9, {0, 0, 0}}, false},  // 75
    BaseCell{{13, {1, 0, 0}}, false},  // 76
    BaseCell{{16, {0, 0, 1}}, false},  // 77
    BaseCell{{15, {0, 1, 1}}, false},  // 78
    BaseCell{{15, {0, 1, 0}}, false},  // 79
    BaseCell{{16, {0, 1, 0}}, false},  // 80
    BaseCell{{14, {1, 1, 0}}, false},  // 81
    BaseCell{{13, {1, 1, 0}}, false},  // 82
    BaseCell{{5, {2, 0, 0}}, true},  // 83
    BaseCell{{8, {1, 0, 0}}, false},  // 84
    BaseCell{{14, {0, 0, 0}}, false},  // 85
    BaseCell{{9, {1, 0, 1}}, false},  // 86
    BaseCell{{14, {0, 0, 1}}, false},  // 87
    BaseCell{{17, {0, 0, 1}}, false},  // 88
    BaseCell{{12, {0, 0, 1}}, false},  // 89
    BaseCell{{16, {0, 0, 0}}, false},  // 90
    BaseCell{{17, {0, 1, 1}}, false},  // 91
    BaseCell{{15, {0, 0, 1}}, false},  // 92
    BaseCell{{16, {1, 0, 1}}, false},  // 93
    BaseCell{{9, {1, 0, 0}}, false},  // 94
    BaseCell{{15, {0, 0, 0}}, false},  // 95
    BaseCell{{13, {0, 0, 0}}, false},  // 96
    BaseCell{{8, {2, 0, 0}}, true},  // 97
    BaseCell{{13, {0, 1, 0}}, false},  // 98
    BaseCell{{17, {1, 0, 1}}, false},  // 99
    BaseCell{{19, {0, 1, 0}}, false},  // 100
    BaseCell{{14, {0, 1, 0}}, false},  // 101
    BaseCell{{19, {0, 1, 1}}, false},  // 102
    BaseCell{{17, {0, 1, 0}}, false},  // 103
    BaseCell{{13, {0, 0, 1}}, false},  // 104
    BaseCell{{17, {0, 0, 0}}, false},  // 105
    BaseCell{{16, {1, 0, 0}}, false},  // 106
    BaseCell{{9, {2, 0, 0}}, true},  // 107
    BaseCell{{15, {1, 0, 1}}, false},  // 108
    BaseCell{{15, {1, 0, 0}}, false},  // 109
    BaseCell{{18, {0, 1, 1}}, false},  // 110
    BaseCell{{18, {0, 0, 1}}, false},  // 111
    BaseCell{{19, {0, 0, 1}}, false},  // 112
    BaseCell{{17, {1, 0, 0}}, false},  // 113
    BaseCell{{19, {0, 0, 0}}, false},  // 114
    BaseCell{{18, {0, 1, 0}}, false},  // 115
    BaseCell{{18, {1, 0, 1}}, false},  // 116
    BaseCell{{19, {2, 0, 0}}, true},  // 117
    BaseCell{{19, {1, 0, 0}}, false},  // 118
    BaseCell{{18, {0, 0, 0}}, false},  // 119
    BaseCell{{19, {1, 0, 1}}, false},  // 120
    BaseCell{{18, {1, 0, 0}}, false},  // 121
}};

const std::array<std::array<double, 2>, kFaceCount> kFaceCenters = {{
    {0.803582649718989942, 1.248397419617396099},
    {1.307747883455638156, 2.536945009877921159},
    {1.054751253523952054, -1.347517358900396623},
    {0.600191595538186799, -0.450603909469755746},
    {0.491715428198773866, 0.401988202911306943},
    {0.172745327415618701, 1.678146885280433686},
    {0.605929321571350690, 2.953923329812411617},
    {0.427370518328979641, -1.888876200336285401},
    {-0.079066118549212831, -0.733429513380867741},
    {-0.230961644455383637, 0.506495587332349035},
    {0.079066118549212831, 2.408163140208925497},
    {0.230961644455383637, -2.635097066257444203},
    {-0.172745327415618701, -1.463445768309359553},
    {-0.605929321571350690, -0.187669323777381622},
    {-0.427370518328979641, 1.252716453253507838},
    {-0.600191595538186799, 2.690988744120037492},
    {-0.491715428198773866, -2.739604450678486295},
    {-0.803582649718989942, -1.893195233972397139},
    {-1.307747883455638156, -0.604647643711872080},
    {-1.054751253523952054, 1.794075294689396615},
}};

const std::array<double, kFaceCount> kFaceIAxisAzimuth = {
    5.619958268523939882, 5.760339081714187279, 0.780213654393430055, 0.430469363979999913,
    6.130269123335111400, 2.692877706530642877, 2.982963003477243874, 3.532912002790141181,
    3.494305004259568154, 3.003214169499538391, 5.930472956509811562, 0.138378484090254847,
    0.448714947059150361, 0.158629650112549365, 5.891865957979238535, 2.711123289609793325,
    3.294508837434268316, 3.804819692245439833, 3.664438879055192436, 2.361378999196363184,
};

// Per face: itself, then the neighbours across its ij, ki and jk edges.
const std::array<std::array<FaceOrient, 4>, kFaceCount> kFaceNeighbours = {{
    {{{0, {0, 0, 0}, 0}, {4, {2, 0, 2}, 1}, {1, {2, 2, 0}, 5}, {5, {0, 2, 2}, 3}}},
    {{{1, {0, 0, 0}, 0}, {0, {2, 0, 2}, 1}, {2, {2, 2, 0}, 5}, {6, {0, 2, 2}, 3}}},
    {{{2, {0, 0, 0}, 0}, {1, {2, 0, 2}, 1}, {3, {2, 2, 0}, 5}, {7, {0, 2, 2}, 3}}},
    {{{3, {0, 0, 0}, 0}, {2, {2, 0, 2}, 1}, {4, {2, 2, 0}, 5}, {8, {0, 2, 2}, 3}}},
    {{{4, {0, 0, 0}, 0}, {3, {2, 0, 2}, 1}, {0, {2, 2, 0}, 5}, {9, {0, 2, 2}, 3}}},
    {{{5, {0, 0, 0}, 0}, {10, {2, 2, 0}, 3}, {14, {2, 0, 2}, 3}, {0, {0, 2, 2}, 3}}},
    {{{6, {0, 0, 0}, 0}, {11, {2, 2, 0}, 3}, {10, {2, 0, 2}, 3}, {1, {0, 2, 2}, 3}}},
    {{{7, {0, 0, 0}, 0}, {12, {2, 2, 0}, 3}, {11, {2, 0, 2}, 3}, {2, {0, 2, 2}, 3}}},
    {{{8, {0, 0, 0}, 0}, {13, {2, 2, 0}, 3}, {12, {2, 0, 2}, 3}, {3, {0, 2, 2}, 3}}},
    {{{9, {0, 0, 0}, 0}, {14, {2, 2, 0}, 3}, {13, {2, 0, 2}, 3}, {4, {0, 2, 2}, 3}}},
    {{{10, {0, 0, 0}, 0}, {5, {2, 2, 0}, 3}, {6, {2, 0, 2}, 3}, {15, {0, 2, 2}, 3}}},
    {{{11, {0, 0, 0}, 0}, {6, {2, 2, 0}, 3}, {7, {2, 0, 2}, 3}, {16, {0, 2, 2}, 3}}},
    {{{12, {0, 0, 0}, 0}, {7, {2, 2, 0}, 3}, {8, {2, 0, 2}, 3}, {17, {0, 2, 2}, 3}}},
    {{{13, {0, 0, 0}, 0}, {8, {2, 2, 0}, 3}, {9, {2, 0, 2}, 3}, {18, {0, 2, 2}, 3}}},
    {{{14, {0, 0, 0}, 0}, {9, {2, 2, 0}, 3}, {5, {2, 0, 2}, 3}, {19, {0, 2, 2}, 3}}},
    {{{15, {0, 0, 0}, 0}, {16, {2, 0, 2}, 1}, {19, {2, 2, 0}, 5}, {10, {0, 2, 2}, 3}}},
    {{{16, {0, 0, 0}, 0}, {17, {2, 0, 2}, 1}, {15, {2, 2, 0}, 5}, {11, {0, 2, 2}, 3}}},
    {{{17, {0, 0, 0}, 0}, {18, {2, 0, 2}, 1}, {16, {2, 2, 0}, 5}, {12, {0, 2, 2}, 3}}},
    {{{18, {0, 0, 0}, 0}, {19, {2, 0, 2}, 1}, {17, {2, 2, 0}, 5}, {13, {0, 2, 2}, 3}}},
    {{{19, {0, 0, 0}, 0}, {15, {2, 0, 2}, 1}, {18, {2, 2, 0}, 5}, {14, {0, 2, 2}, 3}}},
}};

// Derived from kFaceNeighbours rather than stored as a second 20x20 table that could disagree with it.
int adjacent_face_quadrant(int from, int to) {
    for (int q = kCentral; q <= kJK; ++q) {
        if (kFaceNeighbours[static_cast<std::size_t>(from)][static_cast<std::size_t>(q)].face == to) return q;
    }
    return -1;
}

}  // namespace forgehive::geo::h3_tables
