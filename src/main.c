/* main.c — corridor's command line: the argument vector goes to the
 * dispatcher, which finds the operation in the table, parses its options,
 * runs it and prints what it returns. Nothing here knows one operation;
 * only this file ends the process. */
#include "ops/ops.h"

int main(int argc, char **argv)
{
    return op_cli(argc, argv);
}
